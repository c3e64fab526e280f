#!/bin/sh
# End-to-end checks of the `lemma` command line: `eval` (text and --json),
# `run`, `help`, --version/--help, exit statuses and usage errors.
#
#   sh tests/e2e/cli.sh /path/to/lemma
#
# Prints one `ok - ...` or `not ok - ...` line per check (TAP style) and exits
# 1 at the end if any check failed. Expected outputs are DESIGN.md's contract
# (the JSON lines, the exit statuses of src/cli/main.c's header comment, the
# Octave conventions), hand arithmetic, or Python's repr() for doubles.
set -u

LEMMA=${1:-}
if [ -z "$LEMMA" ] || [ ! -x "$LEMMA" ]; then
    echo "not ok - the lemma binary is given as the first argument (got '$LEMMA')"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/lemma-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

failures=0
checks=0

pass() {
    checks=$((checks + 1))
    printf 'ok - %s\n' "$1"
}

fail() {
    checks=$((checks + 1))
    failures=$((failures + 1))
    printf 'not ok - %s\n' "$1"
}

# Shows what the last command printed, as TAP comments.
show() {
    printf '#   exit status: %s\n' "$rc"
    sed 's/^/#   stdout: /' "$tmp/out"
    sed 's/^/#   stderr: /' "$tmp/err"
}

# run ARGS...: runs lemma with no standard input; sets rc, fills out and err.
run() {
    "$LEMMA" "$@" <"$tmp/empty" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

# run_stdin TEXT ARGS...: runs lemma with TEXT (and a newline) on standard input.
run_stdin() {
    text=$1
    shift
    printf '%s\n' "$text" >"$tmp/in"
    "$LEMMA" "$@" <"$tmp/in" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}

: >"$tmp/empty"

# expect_rc DESC WANT
expect_rc() {
    if [ "$rc" -eq "$2" ]; then
        pass "$1: exit status $2"
    else
        fail "$1: exit status $rc, expected $2"
        show
    fi
}

# expect_out DESC LINE...: stdout is exactly these lines.
expect_out() {
    desc=$1
    shift
    printf '%s\n' "$@" >"$tmp/want"
    if cmp -s "$tmp/want" "$tmp/out"; then
        pass "$desc: output"
    else
        fail "$desc: output differs"
        sed 's/^/#   expected: /' "$tmp/want"
        show
    fi
}

# expect_has DESC FILE(out|err) TEXT: the stream contains TEXT (fixed string).
expect_has() {
    if grep -F -q -e "$3" "$tmp/$2"; then
        pass "$1: $2 has '$3'"
    else
        fail "$1: $2 lacks '$3'"
        show
    fi
}

# expect_lacks DESC FILE TEXT
expect_lacks() {
    if grep -F -q -e "$3" "$tmp/$2"; then
        fail "$1: $2 should not have '$3'"
        show
    else
        pass "$1: $2 has no '$3'"
    fi
}

# expect_empty DESC FILE
expect_empty() {
    if [ -s "$tmp/$2" ]; then
        fail "$1: $2 should be empty"
        show
    else
        pass "$1: $2 is empty"
    fi
}

# ---- eval --json: DESIGN.md's JSON lines ----

d="eval --json of a number, a matrix and an expression"
run eval --json '1+2' '[1 2; 3 4]' 'x + 1'
expect_rc "$d" 0
expect_out "$d" \
    '{"ok":true,"type":"number","value":3}' \
    '{"ok":true,"type":"matrix","shape":[2,2],"data":[[1,2],[3,4]]}' \
    '{"ok":true,"type":"expr","text":"x + 1","latex":"x + 1"}'
expect_empty "$d" err

d="eval --json of a parse error"
run eval --json '1 +* 2'
expect_rc "$d" 1
# the '*' is the 4th character of "1 +* 2"
expect_has "$d" out '{"ok":false,"error":{"kind":"parse","message":"'
expect_has "$d" out '"line":1,"col":4}}'
if [ "$(wc -l <"$tmp/out")" -eq 1 ]; then pass "$d: one line"; else fail "$d: one line"; show; fi

d="eval --json: non-finite numbers are strings"
run eval --json '1/0' '-1/0' '0/0' '[1 -1/0]'
expect_rc "$d" 0
expect_out "$d" \
    '{"ok":true,"type":"number","value":"inf"}' \
    '{"ok":true,"type":"number","value":"-inf"}' \
    '{"ok":true,"type":"number","value":"nan"}' \
    '{"ok":true,"type":"matrix","shape":[1,2],"data":[[1,"-inf"]]}'

d="eval --json: shortest round-trip numbers, assignments, complex, empty"
# 0.1+0.2: Python repr gives 0.30000000000000004; sqrt(-4) = 2i (Octave)
run eval --json '0.1 + 0.2' 'a = 1/4' 'sqrt(-4)' '[]' '-0'
expect_rc "$d" 0
expect_out "$d" \
    '{"ok":true,"type":"number","value":0.30000000000000004}' \
    '{"ok":true,"name":"a","type":"number","value":0.25}' \
    '{"ok":true,"type":"complex","re":0,"im":2}' \
    '{"ok":true,"type":"matrix","shape":[0,0],"data":[]}' \
    '{"ok":true,"type":"number","value":0}'

d="eval --json: booleans, strings, row and column vectors"
run eval --json '1 < 2' '"hi"' '[1 2 3]' '[1; 2]'
expect_rc "$d" 0
expect_out "$d" \
    '{"ok":true,"type":"boolean","value":true}' \
    '{"ok":true,"type":"string","value":"hi"}' \
    '{"ok":true,"type":"matrix","shape":[1,3],"data":[[1,2,3]]}' \
    '{"ok":true,"type":"matrix","shape":[2,1],"data":[[1],[2]]}'

# ---- eval: options and arguments ----

d="eval --bogus"
run eval --bogus
expect_rc "$d" 2
expect_has "$d" err "usage"
expect_has "$d" err "--bogus"
expect_empty "$d" out

d="eval -- '-2^2'"
run eval -- '-2^2'
expect_rc "$d" 0
expect_out "$d" '-4' # Octave: -(2^2)

d="several PROGRAM arguments share one workspace"
run eval 'a = 2;' 'a * 3'
expect_rc "$d" 0
expect_out "$d" '6'

d="a program on standard input"
run_stdin '1+1' eval
expect_rc "$d" 0
expect_out "$d" '2'

d="a program piped to lemma with no command"
run_stdin '2*3'
expect_rc "$d" 0
expect_out "$d" '6'

d="eval --json reads standard input too"
run_stdin 'b = 5' eval --json
expect_rc "$d" 0
expect_out "$d" '{"ok":true,"name":"b","type":"number","value":5}'

d="text: five significant digits, format long, -0 as 0"
# Python: '%.5g' % (1/3) = 0.33333; repr(1/3) = 0.3333333333333333
run eval '1/3' 'format long' '1/3' '-0'
expect_rc "$d" 0
expect_out "$d" '0.33333' '0.3333333333333333' '0'

d="a failing statement: exit 1, the others still print"
run eval 'x = 1' 'sine(1)' '3'
expect_rc "$d" 1
expect_has "$d" out 'x = 1'
expect_has "$d" out "error: "
expect_has "$d" out "'sin'" # DESIGN.md: did you mean sin
if [ "$(tail -n 1 "$tmp/out")" = "3" ]; then pass "$d: evaluation went on"; else fail "$d: evaluation went on"; show; fi

d="a runtime error inside one program: the next statement runs"
run eval "$(printf 'y = [1 2] + [1 2 3]\nz = 4')"
expect_rc "$d" 1
expect_has "$d" out 'z = 4'

d="a parse error stops the whole program before anything runs"
run eval "$(printf 'p = 1\nq = p +* 2')"
expect_rc "$d" 1
expect_lacks "$d" out 'p = 1'
expect_has "$d" out 'line 2, column 8'

# ---- run ----

cat >"$tmp/bad.lm" <<'EOF'
a = 1
b = sine(a)
c = 3
EOF
d="run FILE with an error on line 2"
run run "$tmp/bad.lm"
expect_rc "$d" 1
# "sine" starts at column 5 of "b = sine(a)"
expect_has "$d" out "$tmp/bad.lm, line 2, column 5"
expect_has "$d" out 'a = 1'
expect_has "$d" out 'c = 3'
expect_has "$d" out '    b = sine(a)'

printf 'a = 1\nb = a +* 2\n' >"$tmp/parse.lm"
d="run FILE with a parse error on line 2"
run run "$tmp/parse.lm"
expect_rc "$d" 1
# '*' is the 8th character of "b = a +* 2"
expect_has "$d" out "$tmp/parse.lm, line 2, column 8"
expect_lacks "$d" out 'a = 1'

printf 'v = [1 2 3];\ns = sum(v)\n' >"$tmp/good.lm"
d="run FILE that succeeds"
run run "$tmp/good.lm"
expect_rc "$d" 0
expect_out "$d" 's = 6' # 1 + 2 + 3

d="run /nonexistent"
run run /nonexistent/file.lm
expect_rc "$d" 2
expect_has "$d" err "/nonexistent/file.lm"
expect_empty "$d" out

d="run a directory"
run run "$tmp"
expect_rc "$d" 2
expect_has "$d" err "$tmp"
expect_empty "$d" out

d="run with no file"
run run
expect_rc "$d" 2
expect_has "$d" err "usage"

# ---- version, help, unknown commands ----

d="--version"
run --version
expect_rc "$d" 0
expect_out "$d" 'lemma 0.1.0' # CMakeLists.txt: project(lemma VERSION 0.1.0)

d="--help"
run --help
expect_rc "$d" 0
expect_has "$d" out "usage"
expect_has "$d" out "lemma eval"

d="help sin"
run help sin
expect_rc "$d" 0
expect_has "$d" out "sin(x)"

d="help of an unknown name"
run help nosuchfunction
expect_rc "$d" 1
expect_has "$d" out "nosuchfunction"

d="an unknown command"
run nosuchcmd
expect_rc "$d" 2
expect_has "$d" err "nosuchcmd"
expect_empty "$d" out

# ---- summary ----

if [ "$failures" -ne 0 ]; then
    printf '# %d of %d checks failed\n' "$failures" "$checks"
    exit 1
fi
printf '# all %d checks passed\n' "$checks"
exit 0
