// tools/watch runs this: rustlings' watch mode. On every save under chapters/ it builds the tests
// of the exercise it is on (the program of that exercise's tests alone, chapterN_tests_M: a
// one-line edit rebuilds and relinks little — a line added to timed.hpp rebuilt chapter1_tests_1
// in 1.5 s, chapter1_tests in 4.4 s, chapter1 with its demos in 5.9 s on 2 cores), grades them as
// the grader does, and shows one screen (watch_screen.hpp). When the exercise is finished it goes
// on to the next unfinished one; it stays on an unfinished one until n.
//
//   grader-watch [--build-dir build] [--poll] [chapter]
//
// Saves are seen through inotify, or by polling the files' times where inotify is not to be had
// (or with --poll, or COURSE_WATCH_POLL=1). The work runs on a thread of its own, so that the
// keys (h, n, q, Ctrl-C) are answered at once; a save while the tests run stops them.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "grading.hpp"
#include "hints.hpp"
#include "manifest.hpp"
#include "rubric.hpp"
#include "verdict.hpp"
#include "watch_screen.hpp"

namespace {

using namespace grader;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;
namespace fs = std::filesystem;

constexpr int kExitUsage = 2;
// How long the files must be quiet after a save before the build starts: an editor's save can
// be several writes and a rename.
constexpr milliseconds kQuiet{40};
constexpr milliseconds kPollInterval{250};

// The main loop sleeps in poll(): signals and the worker wake it through this pipe.
int wake_pipe[2] = {-1, -1};
std::atomic<int> signal_received{0};
static_assert(std::atomic<int>::is_always_lock_free, "set from a signal handler");

void wake() {
  const char byte = 'w';
  if (::write(wake_pipe[1], &byte, 1) < 0) {
    // The pipe is full: the loop has wake-ups to read already.
  }
}

extern "C" void on_signal(int signal) {
  signal_received.store(signal);
  wake();
}

void write_all(std::string_view text) {
  while (!text.empty()) {
    const ssize_t written = ::write(STDOUT_FILENO, text.data(), text.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return;
    text.remove_prefix(static_cast<std::size_t>(written));
  }
}

// The terminal in raw mode (each key at once, no echo, Ctrl-C a key), on its alternate screen,
// without a cursor; as it was again at the end, however the program ends but by SIGKILL.
class Terminal {
 public:
  Terminal() {
    ::tcgetattr(STDIN_FILENO, &saved_);
    termios raw = saved_;
    raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO | ISIG | IEXTEN);
    raw.c_iflag &= ~static_cast<tcflag_t>(IXON | ICRNL);
    raw.c_cc[VMIN] = 1;
    raw.c_cc[VTIME] = 0;
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    write_all("\033[?1049h\033[?25l\033[2J");
  }
  Terminal(const Terminal&) = delete;
  Terminal& operator=(const Terminal&) = delete;
  ~Terminal() { restore(); }

  void restore() {
    if (restored_) return;
    restored_ = true;
    write_all("\033[0m\033[?25h\033[?1049l");
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }

  [[nodiscard]] static std::pair<int, int> size() {
    winsize size{};
    if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return {24, 80};
    return {size.ws_row, size.ws_col};
  }

  // Draws the screen over the last one, line by line (no flicker of a cleared screen).
  static void draw(const std::vector<ScreenLine>& screen) {
    std::string text = "\033[H";
    for (std::size_t i = 0; i < screen.size(); ++i) {
      const ScreenLine& line = screen[i];
      if (line.colour.empty()) {
        text += line.text;
      } else {
        text += fmt::format("\033[{}m{}\033[0m", line.colour, line.text);
      }
      text += i + 1 < screen.size() ? "\033[K\r\n" : "\033[K";
    }
    text += "\033[J";
    write_all(text);
  }

 private:
  termios saved_{};
  bool restored_ = false;
};

bool is_source(const fs::path& file) {
  static const std::vector<std::string> kExtensions = {".cpp", ".hpp", ".h",   ".cc",
                                                       ".hh",  ".cxx", ".ipp", ".tpp"};
  return std::find(kExtensions.begin(), kExtensions.end(), file.extension().string()) !=
         kExtensions.end();
}

// The source files saved under a folder (chapters/): through inotify, or by polling their times.
class Watcher {
 public:
  Watcher(fs::path root, bool polling) : root_(std::move(root)) {
    if (!polling) {
      fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
      if (fd_ < 0) {
        how_ = fmt::format("polling every {} ms (no inotify: {})", kPollInterval.count(),
                           std::strerror(errno));
      } else if (!add(root_)) {
        ::close(fd_);
        fd_ = -1;
        how_ = fmt::format("polling every {} ms (inotify refused a watch: {})",
                           kPollInterval.count(), std::strerror(errno));
      } else {
        how_ = "inotify";
      }
    } else {
      how_ = fmt::format("polling every {} ms", kPollInterval.count());
    }
    if (fd_ < 0) scan();
  }
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;
  ~Watcher() {
    if (fd_ >= 0) ::close(fd_);
  }

  [[nodiscard]] int fd() const { return fd_; }
  [[nodiscard]] const std::string& how() const { return how_; }

  // The files saved since the last call.
  std::vector<fs::path> changes() { return fd_ >= 0 ? events() : scan(); }

 private:
  // Watches `folder` and every folder in it.
  bool add(const fs::path& folder) {
    constexpr std::uint32_t kEvents =
        IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_CREATE | IN_DELETE | IN_ONLYDIR;
    const int watch = ::inotify_add_watch(fd_, folder.c_str(), kEvents);
    if (watch < 0) return false;
    folders_[watch] = folder;
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(folder, error)) {
      if (entry.is_directory(error) && !entry.is_symlink(error)) add(entry.path());
    }
    return true;
  }

  std::vector<fs::path> events() {
    std::vector<fs::path> saved;
    alignas(inotify_event) char buffer[16 * 1024];
    for (;;) {
      const ssize_t got = ::read(fd_, buffer, sizeof buffer);
      if (got <= 0) break;
      for (ssize_t at = 0; at < got;) {
        const auto* event = reinterpret_cast<const inotify_event*>(buffer + at);
        at += static_cast<ssize_t>(sizeof(inotify_event) + event->len);
        if ((event->mask & IN_Q_OVERFLOW) != 0) {
          saved.push_back(root_);  // events were lost: as if anything had been saved
          continue;
        }
        if ((event->mask & IN_IGNORED) != 0) {
          folders_.erase(event->wd);
          continue;
        }
        const auto folder = folders_.find(event->wd);
        if (folder == folders_.end() || event->len == 0) continue;
        const fs::path path = folder->second / event->name;
        if ((event->mask & IN_ISDIR) != 0) {
          if ((event->mask & (IN_CREATE | IN_MOVED_TO)) != 0) add(path);
        } else if ((event->mask & IN_CREATE) == 0 && is_source(path)) {
          saved.push_back(path);
        }
      }
    }
    return saved;
  }

  // Polling: the source files whose time or size changed, and those that came or went.
  std::vector<fs::path> scan() {
    std::map<fs::path, std::pair<fs::file_time_type, std::uintmax_t>> now;
    std::error_code error;
    for (fs::recursive_directory_iterator it(root_, error), end; !error && it != end;
         it.increment(error)) {
      if (!it->is_regular_file(error) || !is_source(it->path())) continue;
      now[it->path()] = {it->last_write_time(error), it->file_size(error)};
    }
    std::vector<fs::path> saved;
    for (const auto& [path, stamp] : now) {
      const auto before = seen_.find(path);
      if (before == seen_.end() || before->second != stamp) saved.push_back(path);
    }
    for (const auto& [path, stamp] : seen_) {
      if (!now.contains(path)) saved.push_back(path);
    }
    seen_ = std::move(now);
    return saved;
  }

  fs::path root_;
  int fd_ = -1;
  std::string how_;
  std::map<int, fs::path> folders_;
  std::map<fs::path, std::pair<fs::file_time_type, std::uintmax_t>> seen_;
};

// Where to look: from exercise `exercise` of chapter `chapter` (indices) on, for the first
// exercise that is not finished.
struct Job {
  std::size_t chapter = 0;
  std::size_t exercise = 0;
  bool advance = true;  // past exercises that are finished (false: this one, whatever it is)
  // After a save: when the exercise's build had nothing to do (the file saved is another
  // exercise's) or the chapter did not compile last time, build the chapter's test program too,
  // so that its compile errors show.
  bool check_chapter = false;
  std::string why;  // "timed.hpp saved", for the status line
  Clock::time_point since = Clock::now();
};

struct JobResult {
  bool cancelled = false;
  bool all_done = false;  // no unfinished exercise from the job's start on
  std::size_t chapter = 0;
  std::size_t exercise = 0;
  std::string id;  // "1.1"
  std::string title;
  double max_points = 0;
  // Seconds the exercise's build (with the chapter's, where it was built too) and its tests took.
  double build_seconds = 0;
  double test_seconds = 0;
  std::optional<ChapterResult> graded;
  std::string compile_errors;
  std::optional<std::string> chapter_errors;  // checked: empty when the chapter compiles
  std::string error;                          // what kept it from grading (a rubric unreadable)
};

// The work, on a thread of its own: builds and grades, one exercise after another.
class Worker {
 public:
  explicit Worker(const Manifest& manifest) : manifest_(manifest) {
    broken_.assign(manifest.chapters.size(), false);
  }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() { stop(); }

  void start(const Job& job) {
    stop();
    cancel_.store(false);
    {
      const std::scoped_lock lock(mutex_);
      done_.reset();
      finished_.reset();
      doing_ = "starting";
    }
    running_ = true;
    thread_ = std::thread([this, job] {
      JobResult result = run(job);
      {
        const std::scoped_lock lock(mutex_);
        done_ = std::move(result);
      }
      wake();
    });
  }

  // Stops the job (a build or a test is killed) and waits for its thread.
  void stop() {
    cancel_.store(true);
    if (thread_.joinable()) thread_.join();
    running_ = false;
  }

  [[nodiscard]] bool running() const { return running_; }

  // An exercise the job found finished before it went on to the next: shown meanwhile.
  std::optional<JobResult> finished() {
    const std::scoped_lock lock(mutex_);
    std::optional<JobResult> finished = std::move(finished_);
    finished_.reset();
    return finished;
  }

  // The job's result once it has ended (its thread is joined then).
  std::optional<JobResult> result() {
    std::optional<JobResult> result;
    {
      const std::scoped_lock lock(mutex_);
      result = std::move(done_);
      done_.reset();
    }
    if (result && thread_.joinable()) {
      thread_.join();
      running_ = false;
    }
    return result;
  }

  [[nodiscard]] std::string doing() {
    const std::scoped_lock lock(mutex_);
    return doing_;
  }

 private:
  void say(std::string what) {
    {
      const std::scoped_lock lock(mutex_);
      doing_ = std::move(what);
    }
    wake();
  }

  [[nodiscard]] bool cancelled() const { return cancel_.load(); }

  JobResult run(const Job& job) {
    JobResult result;
    GradingOptions building;
    building.cancel = &cancel_;
    bool first = true;
    for (std::size_t c = job.chapter; c < manifest_.chapters.size(); ++c) {
      const ChapterInfo& chapter = manifest_.chapters[c];
      Rubric rubric;
      try {
        rubric = read_rubric(chapter.rubric);
      } catch (const std::exception& error) {
        result.chapter = c;
        result.error = error.what();
        return result;
      }
      for (std::size_t e = c == job.chapter ? job.exercise : 0; e < rubric.exercises.size(); ++e) {
        const Exercise& exercise = rubric.exercises[e];
        result = JobResult{};
        result.chapter = c;
        result.exercise = e;
        result.id = exercise.id;
        result.title = exercise.title;
        for (const auto& test : exercise.tests) result.max_points += test.points;
        // The program of this exercise's tests alone.
        const std::string target = fmt::format("{}_tests_{}", chapter.target,
                                               exercise.id.substr(exercise.id.find('.') + 1));
        say(fmt::format("exercise {}: building its tests", exercise.id));
        const auto build_start = Clock::now();
        const Build built = build_target(manifest_, target, building);
        if (built.ending == BuildEnding::interrupted || cancelled()) return cancelled_result();
        ChapterInfo graded_with = chapter;
        graded_with.tests = chapter.tests.parent_path() / target;
        const std::string whole = chapter.target + "_tests";
        if (built.ending == BuildEnding::failed &&
            built.output.find("undefined reference") == std::string::npos) {
          result.compile_errors = compiler_messages(built.output, manifest_.source_dir);
          return result;
        }
        if (built.ending == BuildEnding::failed) {
          // An #include of another exercise's file added since the tree was configured makes
          // the exercise's program alone fail to link, but not the chapter's.
          say(fmt::format("exercise {}: building chapter {}'s tests", exercise.id, chapter.number));
          const Build chapter_built = build_target(manifest_, whole, building);
          if (chapter_built.ending == BuildEnding::interrupted || cancelled())
            return cancelled_result();
          if (chapter_built.ending != BuildEnding::built) {
            result.compile_errors = compiler_messages(built.output, manifest_.source_dir);
            return result;
          }
          graded_with.tests = chapter.tests;
        } else if (first && job.check_chapter &&
                   (built.output.find("no work to do") != std::string::npos || broken_[c])) {
          say(fmt::format("exercise {}: building chapter {}'s tests", exercise.id, chapter.number));
          const Build chapter_built = build_target(manifest_, whole, building);
          if (chapter_built.ending == BuildEnding::interrupted || cancelled())
            return cancelled_result();
          broken_[c] = chapter_built.ending != BuildEnding::built;
          result.chapter_errors =
              broken_[c] ? compiler_messages(chapter_built.output, manifest_.source_dir) : "";
        }
        GradingOptions grading;
        grading.build = false;
        grading.first_exercises = {exercise.id};
        grading.only_first = true;
        grading.cancel = &cancel_;
        try {
          grading.time_scale = time_scale();
        } catch (const std::exception& error) {
          result.error = error.what();
          return result;
        }
        const std::string id = exercise.id;
        grading.progress = [this, &id](const Progress& progress) {
          say(fmt::format("exercise {}: running {} [{}/{}]", id, progress.doing, progress.done + 1,
                          progress.total));
        };
        const auto test_start = Clock::now();
        result.build_seconds = std::chrono::duration<double>(test_start - build_start).count();
        ChapterResult graded = grade_chapter(manifest_, graded_with, grading);
        result.test_seconds = std::chrono::duration<double>(Clock::now() - test_start).count();
        if (graded.interrupted || cancelled()) return cancelled_result();
        const bool finished = exercise_progress(graded, exercise.id).finished();
        result.graded = std::move(graded);
        if (!finished || !job.advance) return result;
        {
          const std::scoped_lock lock(mutex_);
          finished_ = result;
        }
        say(fmt::format("exercise {} is done; on to the next", exercise.id));
        first = false;
      }
    }
    result = JobResult{};
    result.all_done = true;
    return result;
  }

  static JobResult cancelled_result() {
    JobResult result;
    result.cancelled = true;
    return result;
  }

  const Manifest& manifest_;
  std::atomic<bool> cancel_{false};
  std::thread thread_;
  bool running_ = false;
  std::mutex mutex_;
  std::optional<JobResult> done_;
  std::optional<JobResult> finished_;
  std::string doing_;
  std::vector<bool> broken_;  // per chapter: its test program did not compile last time
};

struct Options {
  std::string build_dir = "build";
  std::string chapter;
  bool poll = false;
};

std::string clock_time() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  ::localtime_r(&now, &local);
  return fmt::format("{:02}:{:02}:{:02}", local.tm_hour, local.tm_min, local.tm_sec);
}

class Watch {
 public:
  Watch(const Manifest& manifest, const Options& options)
      : manifest_(manifest),
        watcher_(manifest.source_dir / "chapters", options.poll),
        worker_(manifest) {}

  int run(std::size_t first_chapter) {
    first_chapter_ = first_chapter;
    start(Job{first_chapter, 0, true, false, "started", Clock::now()});
    std::optional<Clock::time_point> saved_at;  // the first save not yet built
    Clock::time_point last_event{};
    std::string saved_file;
    std::optional<std::size_t> saved_chapter;
    auto next_poll = Clock::now() + kPollInterval;
    bool quit = false;
    while (!quit) {
      draw();
      int timeout = -1;
      const auto now = Clock::now();
      const auto until = [&](Clock::time_point when) {
        const auto ms = std::chrono::ceil<milliseconds>(when - now).count();
        const int wait = static_cast<int>(std::max<long>(ms, 0));
        timeout = timeout < 0 ? wait : std::min(timeout, wait);
      };
      if (watcher_.fd() < 0) until(next_poll);
      if (saved_at) until(last_event + kQuiet);
      pollfd fds[3] = {
          {STDIN_FILENO, POLLIN, 0}, {wake_pipe[0], POLLIN, 0}, {watcher_.fd(), POLLIN, 0}};
      ::poll(fds, watcher_.fd() >= 0 ? 3 : 2, timeout);

      if ((fds[1].revents & POLLIN) != 0) {
        char drain[64];
        while (::read(wake_pipe[0], drain, sizeof drain) > 0) {
        }
      }
      if (const int signal = signal_received.exchange(0); signal != 0 && signal != SIGWINCH) {
        break;
      }
      if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        char keys[32];
        const ssize_t got = ::read(STDIN_FILENO, keys, sizeof keys);
        if (got <= 0) break;  // the terminal is gone
        for (ssize_t i = 0; i < got && !quit; ++i) quit = key(keys[i]);
      }
      std::vector<fs::path> changed;
      if (watcher_.fd() >= 0 && (fds[2].revents & POLLIN) != 0) {
        changed = watcher_.changes();
      } else if (watcher_.fd() < 0 && Clock::now() >= next_poll) {
        changed = watcher_.changes();
        next_poll = Clock::now() + kPollInterval;
      }
      for (const auto& file : changed) {
        if (!saved_at) {
          // (Polling saw it up to an interval late: the figure shown starts from the poll.)
          saved_at = Clock::now();
          saved_file = file.lexically_relative(manifest_.source_dir).string();
          saved_chapter = chapter_of(file);
        }
        last_event = Clock::now();
      }
      if (auto finished = worker_.finished()) apply(std::move(*finished));
      if (auto result = worker_.result()) apply(std::move(*result));
      if (saved_at && Clock::now() >= last_event + kQuiet) {
        const std::size_t chapter = saved_chapter.value_or(focus_chapter_);
        ++saves_;
        const std::string why = fmt::format("{} saved (save {})", saved_file, saves_);
        Job job{chapter, 0, true, true, why, *saved_at};
        if (chapter == focus_chapter_ && have_focus_) job.exercise = focus_exercise_;
        start(job);
        saved_at.reset();
      }
    }
    worker_.stop();
    return 0;
  }

  // One line on the terminal's own screen after the watch ends: where the student is.
  [[nodiscard]] std::string farewell() const {
    if (view_.all_done) return "tools/watch: every exercise passes from where it started on.";
    if (!have_focus_) return "tools/watch: stopped.";
    std::string line = fmt::format("tools/watch: exercise {} — {}", view_.exercise, view_.title);
    if (view_.graded) {
      const ExerciseProgress progress = exercise_progress(*view_.graded, view_.exercise);
      line += fmt::format(" ({} of {} tests pass)", progress.passed, progress.total);
    } else if (!view_.compile_errors.empty()) {
      line += " (does not compile)";
    }
    return line;
  }

 private:
  void start(const Job& job) {
    job_ = job;
    worker_.start(job);
  }

  // A key: h the next hint, n the next unfinished exercise, q or Ctrl-C to quit (true).
  bool key(char pressed) {
    switch (pressed) {
      case 'q':
      case 'Q':
      case 3:  // Ctrl-C
      case 4:  // Ctrl-D
        return true;
      case 'h':
      case 'H':
        show_hint();
        break;
      case 'n':
      case 'N':
        if (view_.all_done || !have_focus_) {
          start(Job{first_chapter_, 0, true, false, "n pressed: from the start", Clock::now()});
        } else {
          start(Job{focus_chapter_, focus_exercise_ + 1, true, false,
                    fmt::format("n pressed after exercise {}", view_.exercise), Clock::now()});
        }
        break;
      default:
        break;
    }
    return false;
  }

  [[nodiscard]] std::optional<std::size_t> chapter_of(const fs::path& file) const {
    const fs::path relative = file.lexically_relative(manifest_.source_dir / "chapters");
    if (relative.empty() || relative.begin() == relative.end()) return std::nullopt;
    const std::string folder = relative.begin()->string();
    for (std::size_t c = 0; c < manifest_.chapters.size(); ++c) {
      if (manifest_.chapters[c].folder == folder) return c;
    }
    return std::nullopt;  // chapters/common: it counts for the chapter the watch is on
  }

  void apply(JobResult result) {
    if (result.cancelled) return;
    const double seconds = std::chrono::duration<double>(Clock::now() - job_.since).count();
    if (result.all_done) {
      view_ = WatchView{};
      view_.all_done = true;
      view_.status = fmt::format("{}  every exercise from chapter {} on passes ({}); n starts over",
                                 clock_time(), manifest_.chapters[job_.chapter].number, job_.why);
      return;
    }
    const ChapterInfo& chapter = manifest_.chapters[result.chapter];
    const bool moved = !have_focus_ || view_.all_done || result.chapter != focus_chapter_ ||
                       result.exercise != focus_exercise_;
    have_focus_ = true;
    focus_chapter_ = result.chapter;
    focus_exercise_ = result.exercise;
    if (moved) {
      const std::string chapter_errors = view_.chapter_errors;
      const bool same_chapter = view_.chapter_name == fmt::format("chapter {}", chapter.number);
      view_ = WatchView{};
      if (same_chapter) view_.chapter_errors = chapter_errors;
      hint_shown_ = 0;
      view_.exercise = result.id;
      try {
        view_.lesson = chapter.lesson;
        if (const auto hints = read_hints(manifest_.source_dir / chapter.lesson, view_.exercise)) {
          view_.heading = hints->heading;
          view_.lesson = fmt::format("{}:{}", chapter.lesson, hints->line);
        }
      } catch (const std::exception& error) {
        result.error = error.what();
      }
    }
    view_.title = result.title;
    view_.chapter_name = fmt::format("chapter {}", chapter.number);
    view_.graded = std::move(result.graded);
    view_.compile_errors = std::move(result.compile_errors);
    view_.max_points = result.max_points;
    if (result.chapter_errors) view_.chapter_errors = std::move(*result.chapter_errors);
    const std::string what = !result.error.empty() ? result.error
                             : view_.compile_errors.empty()
                                 ? fmt::format(
                                       "built and tested in {:.1f} s (build {:.1f} s, "
                                       "tests {:.1f} s)",
                                       seconds, result.build_seconds, result.test_seconds)
                                 : fmt::format("does not compile ({:.1f} s)", seconds);
    view_.status = fmt::format("{}  {}: {}", clock_time(), job_.why, what);
  }

  void show_hint() {
    if (!have_focus_ || view_.all_done) return;
    const ChapterInfo& chapter = manifest_.chapters[focus_chapter_];
    try {
      const auto found = read_hints(manifest_.source_dir / chapter.lesson, view_.exercise);
      if (!found) {
        view_.hint =
            fmt::format("{} has no section for exercise {}.", chapter.lesson, view_.exercise);
        return;
      }
      const int count = static_cast<int>(found->hints.size());
      if (count == 0) {
        view_.hint = "Its section of the lesson has no hint: the section itself is the help.";
        return;
      }
      hint_shown_ = hint_shown_ % count + 1;
      const Hint& hint = found->hints[static_cast<std::size_t>(hint_shown_ - 1)];
      view_.hint = fmt::format("{} ({} of {}{})\n{}", hint.title, hint_shown_, count,
                               hint_shown_ < count ? ": h for the next" : "", hint.text);
    } catch (const std::exception& error) {
      view_.hint = error.what();
    }
  }

  void draw() {
    WatchView shown = view_;
    if (worker_.running()) shown.doing = worker_.doing();
    if (shown.status.empty()) shown.status = "watching chapters/";
    shown.status += fmt::format("   [{}]", watcher_.how());
    const auto [rows, columns] = Terminal::size();
    Terminal::draw(watch_screen(shown, rows, columns));
  }

  const Manifest& manifest_;
  Watcher watcher_;
  Worker worker_;
  Job job_;
  WatchView view_;
  std::size_t first_chapter_ = 0;
  bool have_focus_ = false;
  std::size_t focus_chapter_ = 0;
  std::size_t focus_exercise_ = 0;
  int hint_shown_ = 0;  // the hint on the screen (1-based), 0 for none yet
  int saves_ = 0;       // saves seen (several files saved at once count once)
};

std::optional<std::size_t> find_chapter(const Manifest& manifest, const std::string& name) {
  for (std::size_t c = 0; c < manifest.chapters.size(); ++c) {
    const ChapterInfo& chapter = manifest.chapters[c];
    if (name == std::to_string(chapter.number) || name == fmt::format("{:02}", chapter.number) ||
        name == chapter.target || name == chapter.folder) {
      return c;
    }
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "Watches chapters/: on every save, builds the tests of the first unfinished exercise, runs "
      "them and shows their verdicts, the first message and the points. Keys: h a hint (again: "
      "the next), n the next unfinished exercise, q to quit."};
  Options options;
  app.add_option("chapter", options.chapter,
                 "The chapter to start at (3, chapter3 or 03_gil); the first by default");
  app.add_option("--build-dir", options.build_dir, "The configured build tree (default: build)");
  app.add_flag("--poll", options.poll,
               "Poll the files' times instead of using inotify (also: COURSE_WATCH_POLL=1)");
  CLI11_PARSE(app, argc, argv);
  if (const char* poll = std::getenv("COURSE_WATCH_POLL");
      poll != nullptr && *poll != '\0' && std::string_view(poll) != "0") {
    options.poll = true;
  }
  if (::isatty(STDIN_FILENO) == 0 || ::isatty(STDOUT_FILENO) == 0) {
    std::cerr << "tools/watch needs a terminal: it reads its keys (h, n, q) from one and draws a "
                 "screen on it. Without one, tools/grade prints the scoreboard.\n";
    return kExitUsage;
  }
  try {
    const Manifest manifest = read_manifest(options.build_dir);
    std::size_t first = 0;
    if (!options.chapter.empty()) {
      const auto found = find_chapter(manifest, options.chapter);
      if (!found) {
        std::cerr << fmt::format("tools/watch: there is no chapter '{}'\n", options.chapter);
        return kExitUsage;
      }
      first = *found;
    }
    if (manifest.chapters.empty()) throw std::runtime_error("the build tree has no chapter");
    if (::pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGWINCH}) {
      sigaction(signal, &action, nullptr);
    }
    std::string farewell;
    {
      Terminal terminal;
      Watch watch(manifest, options);
      watch.run(first);
      farewell = watch.farewell();
    }
    std::cout << farewell << "\n";
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "tools/watch: " << error.what() << "\n";
    return 1;
  }
}
