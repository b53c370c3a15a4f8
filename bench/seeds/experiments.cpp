// seed_experiments: the seeds' experiments in C++, one per run, for tools/bench to set beside
// experiments.py's Python. The same command line and the same JSON line:
//
//   build-solutions/bench/seed_experiments NAME --unit-ms U [--verbose]
//   build-solutions/bench/seed_experiments --list
//
// prints {"experiment": NAME, "language": "cpp", "seconds": S, "unit_seconds": U, "ratio": S/U,
// "result_ok": true, "detail": "..."} and nothing else on stdout. The experiments call the
// course's reference solutions (seeds.hpp says which chapter each comes from); experiments.json
// is the table of what each should show.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <sys/resource.h>
#include <sys/time.h>

#include <fmt/format.h>

#include "seeds.hpp"

namespace seeds {

namespace {

bool verbose = false;

}  // namespace

void say(const std::string& line) {
  if (verbose) fmt::print(stderr, "{}\n", line);
}

void set_verbose(bool on) {
  verbose = on;
}

std::uint64_t calibrate(Seconds unit, std::uint64_t size,
                        const std::function<void(std::uint64_t)>& work) {
  // Work that takes no time however large is work the compiler did not do: clang, for one, turns
  // the loop of chapter 2's sum_of_squares into the closed formula. Better no figure than a
  // ratio of nothing to nothing (and sizes that overflow the checks' 128 bits).
  constexpr std::uint64_t kMostWork = std::uint64_t{1} << 40;
  Seconds elapsed = time_of([&] { work(size); });
  while (elapsed < unit / 8) {
    if (size >= kMostWork) {
      throw std::runtime_error(fmt::format(
          "work of size {} took {:.3f} ms: this build computes it without doing it (clang sums "
          "n² in closed form); build with g++",
          size, std::chrono::duration<double, std::milli>(elapsed).count()));
    }
    size *= 2;
    elapsed = time_of([&] { work(size); });
  }
  const auto scaled = [&] {
    return std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(static_cast<double>(size) * (unit / elapsed)));
  };
  // Once more at about a unit: the short first runs are cold (caches, the first page faults)
  // and came out a third too slow, which made the unit a third too short.
  size = scaled();
  elapsed = time_of([&] { work(size); });
  return scaled();
}

namespace {

Seconds of(const timeval& t) {
  return Seconds(static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec));
}

// The CPU time used so far by this process (all its threads) and by its children that were waited
// for.
Seconds cpu_time() {
  rusage self{};
  rusage children{};
  ::getrusage(RUSAGE_SELF, &self);
  ::getrusage(RUSAGE_CHILDREN, &children);
  return of(self.ru_utime) + of(self.ru_stime) + of(children.ru_utime) + of(children.ru_stime);
}

}  // namespace

Measured best_of_interleaved(int rounds, const std::function<void()>& one_unit,
                             const std::function<void()>& experiment) {
  Measured best{Seconds(std::numeric_limits<double>::infinity()),
                Seconds(std::numeric_limits<double>::infinity()), 0};
  for (int round = 0; round < rounds; ++round) {
    best.unit = std::min(best.unit, time_of(one_unit));
    const Seconds cpu_before = cpu_time();
    const Seconds elapsed = time_of(experiment);
    if (elapsed < best.elapsed) {
      best.elapsed = elapsed;
      best.cpus_busy = (cpu_time() - cpu_before) / elapsed;
    }
  }
  return best;
}

}  // namespace seeds

namespace {

struct Experiment {
  std::string_view name;
  seeds::Outcome (*run)(seeds::Seconds unit);
};

// In the order of experiments.json (check_table.py holds the two, and experiments.py, to the
// same names).
constexpr Experiment kExperiments[] = {
    {"three_users_sync", seeds::three_users_sync},
    {"three_users_async_blocking", seeds::three_users_async_blocking},
    {"three_users_gather", seeds::three_users_gather},
    {"five_tasks_gather", seeds::five_tasks_gather},
    {"cake_sequential", seeds::cake_sequential},
    {"cake_concurrent", seeds::cake_concurrent},
    {"cpu_threads_gil", seeds::cpu_threads_gil},
    {"cpu_threads_no_gil", seeds::cpu_threads_no_gil},
    {"cpu_processes", seeds::cpu_processes},
    {"io_threads", seeds::io_threads},
    {"join_in_loop", seeds::join_in_loop},
    {"start_all_then_join", seeds::start_all_then_join},
    {"pool_map", seeds::pool_map},
};

constexpr std::string_view kUsage =
    "usage: seed_experiments NAME --unit-ms U [--verbose]\n"
    "       seed_experiments --list\n"
    "Runs one of the seeds' experiments (see bench/seeds/experiments.json) with one unit of\n"
    "delay or work of about U ms, and prints one JSON line.\n";

// A JSON string: the details are ours, but a quote or a backslash must still not break the line.
std::string json_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

int usage_error(std::string_view message) {
  fmt::print(stderr, "seed_experiments: {}\n{}", message, kUsage);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string_view> args(argv + 1, argv + argc);
  std::string_view name;
  double unit_ms = 0;
  bool list = false;
  bool verbose = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--list") {
      list = true;
    } else if (arg == "--verbose") {
      verbose = true;
    } else if (arg == "--help" || arg == "-h") {
      fmt::print("{}", kUsage);
      return 0;
    } else if (arg == "--unit-ms" || arg.starts_with("--unit-ms=")) {
      std::string_view value;
      if (arg == "--unit-ms") {
        if (i + 1 == args.size()) return usage_error("--unit-ms needs a value");
        value = args[++i];
      } else {
        value = arg.substr(arg.find('=') + 1);
      }
      const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), unit_ms);
      if (error != std::errc() || end != value.data() + value.size() || !(unit_ms > 0) ||
          !std::isfinite(unit_ms)) {
        return usage_error(fmt::format("--unit-ms wants a number of ms above 0, not '{}'", value));
      }
    } else if (arg.starts_with("-")) {
      return usage_error(fmt::format("unknown option '{}'", arg));
    } else if (name.empty()) {
      name = arg;
    } else {
      return usage_error("one experiment at a time");
    }
  }
  if (list) {
    for (const auto& experiment : kExperiments) fmt::print("{}\n", experiment.name);
    return 0;
  }
  if (name.empty()) return usage_error("name an experiment (--list prints them)");
  const auto* experiment = std::find_if(std::begin(kExperiments), std::end(kExperiments),
                                        [name](const auto& e) { return e.name == name; });
  if (experiment == std::end(kExperiments)) {
    fmt::print(stderr, "seed_experiments: no experiment '{}' (--list prints them)\n", name);
    return 2;
  }
  if (unit_ms == 0) return usage_error("--unit-ms U is needed");

  seeds::set_verbose(verbose);
  try {
    const auto outcome = experiment->run(seeds::Seconds(unit_ms / 1000));
    fmt::print(
        "{{\"experiment\": {}, \"language\": \"cpp\", \"seconds\": {:.6f}, \"unit_seconds\": "
        "{:.6f}, \"ratio\": {:.4f}, \"result_ok\": {}, \"detail\": {}}}\n",
        json_string(experiment->name), outcome.elapsed.count(), outcome.unit.count(),
        outcome.elapsed / outcome.unit, outcome.result_ok, json_string(outcome.detail));
    std::fflush(stdout);
  } catch (const std::exception& error) {
    fmt::print(stderr, "seed_experiments: {} failed: {}\n", name, error.what());
    return 1;
  }
  return 0;
}
