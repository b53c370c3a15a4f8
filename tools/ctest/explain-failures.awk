# Reads ctest's LastTest.log and explains the failures in it (see explain-failures).
#   - a failed build test (chapterN.build): the compiler's messages, without ninja's chatter;
#   - a test that hit a NotImplemented: counted per chapter, one line each;
#   - any other failed test: what it printed between "[ RUN ]" and its end (assertions,
#     deadline messages, sanitizer reports), cut to a screenful.
# Paths under the repository are shown relative to it (root is passed with -v root=...).
# Tests that passed say nothing; a test that was not run (its build failed) is not in the log.

function shorten(line) {
  if (root != "") gsub(root "/", "", line)
  return line
}

# A test's lines: the first `head` as they come, then the last `tail` in a ring: what ends a test
# (a deadline, a sanitizer's summary, a crash) is at its end.
function keep(line) {
  if (kept < head) body = body "    " shorten(line) "\n"
  else ring[(kept - head) % tail] = "    " shorten(line)
  kept++
}

function tail_of_body(    i, first, count, out) {
  if (kept <= head) return ""
  count = kept - head
  first = count > tail ? count - tail : 0
  out = ""
  if (first > 0) out = sprintf("    ... %d lines cut ...\n", first)
  for (i = first; i < count; i++) out = out ring[i % tail] "\n"
  return out
}

# "1.2 1.10" with "1.3" inserted in exercise order: "1.2 1.3 1.10".
function insert_sorted(list, id,    n, ids, i, out, done) {
  n = split(list, ids, " ")
  out = ""; done = 0
  for (i = 1; i <= n; i++) {
    if (!done && before(id, ids[i])) { out = out (out == "" ? "" : " ") id; done = 1 }
    out = out (out == "" ? "" : " ") ids[i]
  }
  if (!done) out = out (out == "" ? "" : " ") id
  return out
}

function before(a, b,    pa, pb) {
  split(a, pa, "."); split(b, pb, ".")
  return pa[1] + 0 < pb[1] + 0 || (pa[1] + 0 == pb[1] + 0 && pa[2] + 0 < pb[2] + 0)
}

function flush_test(    chapter) {
  if (name == "" || result == "passed") return
  chapter = name
  sub(/\..*/, "", chapter)
  if (name ~ /\.build$/) {
    printf "\n%s: the chapter does not compile, so its tests did not run. The compiler says:\n", name
    printf "%s%s", body, tail_of_body()
  } else if (missing != "") {
    not_started[chapter]++
    if (!(chapter in first_missing) || missing_id < first_id[chapter]) {
      first_missing[chapter] = missing
      first_id[chapter] = missing_id
    }
    if (index(" " exercises[chapter] " ", " " missing_id " ") == 0) {
      exercises[chapter] = insert_sorted(exercises[chapter], missing_id)
    }
    return
  } else {
    printf "\n%s failed:\n%s%s", name, body, tail_of_body()
  }
}

BEGIN { head = 20; tail = 20 }

/^[0-9]+\/[0-9]+ Test: / {
  name = $0
  sub(/^[0-9]+\/[0-9]+ Test: /, "", name)
  in_output = 0; running = 0; body = ""; kept = 0; missing = ""; missing_id = ""; result = ""
  next
}
/^Output:$/ { getline; in_output = 1; next }
/^<end of output>$/ { in_output = 0; next }
/^Test Passed\.$/ { result = "passed"; flush_test(); name = ""; next }
/^Test Failed\.$/ { result = "failed"; flush_test(); name = ""; next }
# A test failed by its FAIL_REGULAR_EXPRESSION (a deadline's or an escaped child's message).
/^Test Fail Reason:$/ { result = "failed"; flush_test(); name = ""; next }

in_output {
  if (name ~ /\.build$/) {
    # Ninja's progress lines, the failed command line, and CMake's re-configure chatter.
    if ($0 ~ /^\[[0-9]+\/[0-9]+\] / || $0 ~ /^-- / || $0 ~ /^ninja: / || skip_next) { skip_next = 0; next }
    if ($0 ~ /^FAILED: /) { skip_next = 1; next }
    keep($0)
    next
  }
  if ($0 ~ /^\[not implemented\] /) {
    if (missing == "") {
      missing = substr($0, 19)
      missing_id = missing
      sub(/^exercise /, "", missing_id)
      sub(/:.*/, "", missing_id)
    }
    next
  }
  if ($0 ~ /^\[ RUN      \] /) { running = 1; next }
  if ($0 ~ /^\[  FAILED  \] / || $0 ~ /^\[       OK \] / || $0 ~ /^\[  SKIPPED \] /) { running = 0; next }
  if (running && $0 != "") keep($0)
}

END {
  for (chapter in not_started) {
    printf "\n%s: %d test%s not started — exercise%s %s not implemented yet.\n", chapter,
           not_started[chapter], not_started[chapter] == 1 ? "" : "s",
           index(exercises[chapter], " ") ? "s" : "", exercises[chapter] (index(exercises[chapter], " ") ? " are" : " is")
    printf "    Start with %s\n", first_missing[chapter]
  }
}
