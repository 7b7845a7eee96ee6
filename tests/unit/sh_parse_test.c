/*
 * Checks the shell's parser (programs/sh/parse.c): word splitting and
 * comments, the three kinds of quoting, backslash escapes, $NAME, ${NAME}
 * and $? expansion, pipes, redirections anywhere in a command, every
 * syntax error with its message, the limits (line length, words,
 * commands, expanded size) at and just past their edges, a 4,000
 * character line, splitting a line at ';' and stopping at a comment
 * (sh_part), NAME=value splitting for export, and the builtin table.
 * Two randomized runs finish it: random lines must always either parse
 * into a well-formed pipeline or fail with a message, and random words
 * quoted with '...' must come back exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parley/errors.h>

#include "../../programs/sh/parse.h"
#include "check.h"

static char long_value[1001];

static const char *const vars[][2] = {
    {"HOME", "/home/user"}, {"USER", "root"}, {"EMPTY", ""},    {"SP", "a  b"},
    {"PATH", "/bin"},       {"Q", "'\"$"},    {"_x1", "under"}, {"LONG", long_value},
};

static int lookups;

static const char *lookup(void *ctx, const char *name)
{
    (void)ctx;
    lookups++;
    for (size_t i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
        if (strcmp(vars[i][0], name) == 0)
            return vars[i][1];
    return NULL;
}

static const struct sh_env env = {.lookup = lookup, .ctx = NULL, .status = 42};

static struct sh_pipeline pl;
static char err[256];

/*
 * Renders a pipeline for comparison: each word in brackets, then <in,
 * >out or >>out, commands joined by " | ". "echo 'a b' > f" is
 * "[echo] [a b] >f".
 */
static const char *show(const struct sh_pipeline *p)
{
    static char buf[SH_TEXT_MAX * 2];
    size_t n = 0;
    buf[0] = '\0';
    for (int c = 0; c < p->count; c++) {
        const struct sh_command *cmd = &p->commands[c];
        if (c > 0)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, " | ");
        for (int i = 0; i < cmd->argc; i++)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, "%s[%s]", i ? " " : "", cmd->argv[i]);
        if (cmd->input)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, " <%s", cmd->input);
        if (cmd->output)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s%s", cmd->append ? ">>" : ">",
                                  cmd->output);
        if (cmd->error)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %s%s",
                                  cmd->error_append ? "2>>" : "2>", cmd->error);
        if (cmd->error_to_output)
            n += (size_t)snprintf(buf + n, sizeof(buf) - n, " 2>&1");
    }
    return buf;
}

/* Parses line, which must succeed and render as want. */
static void ok(const char *line, const char *want)
{
    int r = sh_parse(line, &env, &pl, err, sizeof(err));
    CHECKF(r == 0, "line <%s>: returned %d (%s)", line, r, err);
    if (r == 0)
        CHECKF(strcmp(show(&pl), want) == 0, "line <%s>: got <%s>, want <%s>", line, show(&pl),
               want);
}

/* Parses line, which must fail with code and exactly the message want. */
static void bad(const char *line, int code, const char *want)
{
    strcpy(err, "junk");
    int r = sh_parse(line, &env, &pl, err, sizeof(err));
    CHECKF(r == code, "line <%s>: returned %d, want %d", line, r, code);
    CHECKF(strcmp(err, want) == 0, "line <%s>: message <%s>, want <%s>", line, err, want);
    CHECKF(pl.count == 0, "line <%s>: count %d after an error", line, pl.count);
}

static void check_words(void)
{
    ok("", "");
    ok("   \t  ", "");
    ok("# a comment | > <", "");
    ok("   # indented comment", "");
    ok("ls", "[ls]");
    ok("  ls   -l\t/bin  ", "[ls] [-l] [/bin]");
    ok("ls\n", "[ls]");
    ok("echo a\r\n", "[echo] [a]");
    ok("echo a # the rest is ignored", "[echo] [a]");
    ok("echo a#b #c", "[echo] [a#b]");
    ok("echo #", "[echo]");
    ok("echo \\#x '#y' \"#z\"", "[echo] [#x] [#y] [#z]");
    /* What follows a comment is never a command, whatever it holds. */
    ok("echo hi # note; echo X", "[echo] [hi]");
    ok("echo hi\t#| echo X > out", "[echo] [hi]");
    ok("echo hi #\"unclosed 'quote $(x) `y`", "[echo] [hi]");
    ok("echo a | cat #; rm -r /", "[echo] [a] | [cat]");
    ok("echo < in #x", "[echo] <in");
    ok("a=b c=d", "[a=b] [c=d]");
    ok("\xc3\xa9t\xc3\xa9 \x01\x7f", "[\xc3\xa9t\xc3\xa9] [\x01\x7f]");
    ok("echo $ $5 $- a$ $$", "[echo] [$] [$5] [$-] [a$] [$$]");
}

static void check_quotes(void)
{
    ok("echo 'a b'", "[echo] [a b]");
    ok("echo \"a b\"", "[echo] [a b]");
    ok("echo ''", "[echo] []");
    ok("echo \"\"", "[echo] []");
    ok("echo '' \"\" x", "[echo] [] [] [x]");
    ok("echo a'b'\"c\"d", "[echo] [abcd]");
    ok("echo 'a\"b' \"a'b\"", "[echo] [a\"b] [a'b]");
    ok("echo '$HOME ${USER} $? \\n'", "[echo] [$HOME ${USER} $? \\n]");
    ok("echo 'a | b > c < d ; & # x'", "[echo] [a | b > c < d ; & # x]");
    ok("echo \"a | b > c ; & # x\"", "[echo] [a | b > c ; & # x]");
    ok("echo \"  spaced  \"", "[echo] [  spaced  ]");
    ok("'ls' \"-l\"", "[ls] [-l]");
    ok("echo 'it'\\''s'", "[echo] [it's]");
}

static void check_escapes(void)
{
    ok("echo a\\ b", "[echo] [a b]");
    ok("echo \\'x\\' \\\"y\\\"", "[echo] ['x'] [\"y\"]");
    ok("echo \\$HOME \\\\ \\|\\>\\<\\;\\&", "[echo] [$HOME] [\\] [|><;&]");
    ok("echo \\a\\b", "[echo] [ab]");
    ok("echo \\  x", "[echo] [ ] [x]");
    /* In double quotes only $ " \ ` are escapable; other backslashes stay. */
    ok("echo \"\\$HOME \\\" \\\\ \\` \\n \\a\"", "[echo] [$HOME \" \\ ` \\n \\a]");
    ok("echo \"a\\\"\"", "[echo] [a\"]");
    /* A backslash before a newline joins the lines. */
    ok("echo ab\\\ncd", "[echo] [abcd]");
    ok("echo \"ab\\\ncd\"", "[echo] [abcd]");
    ok("echo \\\n", "[echo]");
    bad("echo \\", -E_INVAL, "nothing after '\\' at the end of the line");
    bad("echo a\\", -E_INVAL, "nothing after '\\' at the end of the line");
    bad("echo \"a\\", -E_INVAL, "missing closing \" (opened at column 6)");
}

static void check_expansion(void)
{
    ok("echo $HOME", "[echo] [/home/user]");
    ok("echo ${HOME}", "[echo] [/home/user]");
    ok("echo $HOME/bin ${HOME}bin $HOMEbin", "[echo] [/home/user/bin] [/home/userbin]");
    ok("echo $USER$USER-$USER", "[echo] [rootroot-root]");
    ok("echo $_x1 ${_x1}", "[echo] [under] [under]");
    ok("echo \"$HOME\" \"${USER}x\" \"[$?]\"", "[echo] [/home/user] [rootx] [[42]]");
    ok("echo $?", "[echo] [42]");
    ok("echo ${?}", "[echo] [42]");
    ok("echo $?x $?1 a$?b", "[echo] [42x] [421] [a42b]");
    ok("echo $?$?", "[echo] [4242]");
    /* Values are not split or re-parsed. */
    ok("echo $SP", "[echo] [a  b]");
    ok("echo $Q", "[echo] ['\"$]");
    ok("$PATH/ls", "[/bin/ls]");
    /* Unset and empty variables expand to nothing; unquoted, the word goes. */
    ok("echo $NOPE", "[echo]");
    ok("echo a $NOPE b", "[echo] [a] [b]");
    ok("echo ${NOPE}x", "[echo] [x]");
    ok("echo $EMPTY $NOPE ${EMPTY}", "[echo]");
    ok("echo \"$NOPE\" '' x", "[echo] [] [] [x]");
    ok("echo \"$EMPTY\"", "[echo] []");
    ok("$NOPE", "");
    ok("$NOPE | cat", " | [cat]");
    /* A '$' that starts nothing stays. */
    ok("echo $", "[echo] [$]");
    ok("echo \"$\" \"a$\" \"$ \"", "[echo] [$] [a$] [$ ]");
    ok("echo $'x'", "[echo] [$x]");
    bad("echo ${HOME", -E_INVAL, "missing '}' after '${' at column 6");
    bad("echo ${", -E_INVAL, "missing '}' after '${' at column 6");
    bad("echo \"${HOME\"", -E_INVAL, "missing '}' after '${' at column 7");
    bad("echo ${}", -E_INVAL, "bad variable name in '${}'");
    bad("echo ${1x}", -E_INVAL, "bad variable name in '${1x}'");
    bad("echo ${A B}", -E_INVAL, "bad variable name in '${A B}'");
    bad("echo ${??}", -E_INVAL, "bad variable name in '${??}'");

    /* A status of any size, a NULL lookup, and no env at all. */
    struct sh_env e = {.lookup = NULL, .status = -2147483647 - 1};
    CHECK(sh_parse("echo $? $HOME", &e, &pl, err, sizeof(err)) == 0);
    CHECK(strcmp(show(&pl), "[echo] [-2147483648]") == 0);
    CHECK(sh_parse("echo $? ${USER}x", NULL, &pl, err, sizeof(err)) == 0);
    CHECK(strcmp(show(&pl), "[echo] [0] [x]") == 0);

    /* Names are looked up whole, not by prefix, and only when expanded. */
    lookups = 0;
    ok("echo '$HOME' \\$HOME $HOM", "[echo] [$HOME] [$HOME]");
    CHECK(lookups == 1);

    /* Variable names: 127 characters are fine, 128 are not. */
    char line[300];
    memset(line, 'N', sizeof(line));
    memcpy(line, "echo $", 6);
    line[6 + SH_NAME_MAX] = '\0';
    ok(line, "[echo]");
    line[6 + SH_NAME_MAX] = 'N';
    line[6 + SH_NAME_MAX + 1] = '\0';
    bad(line, -E_2BIG, "variable name too long (over 127 characters)");
    memcpy(line, "echo ${", 7);
    memset(line + 7, 'N', SH_NAME_MAX + 1);
    strcpy(line + 7 + SH_NAME_MAX + 1, "}");
    bad(line, -E_2BIG, "variable name too long (over 127 characters)");
}

static void check_pipes(void)
{
    ok("a | b", "[a] | [b]");
    ok("a|b|c", "[a] | [b] | [c]");
    ok("ls -l /bin | grep x | wc -l", "[ls] [-l] [/bin] | [grep] [x] | [wc] [-l]");
    ok("echo 'a|b' | cat", "[echo] [a|b] | [cat]");
    ok("a | b # | c", "[a] | [b]");
    bad("| a", -E_INVAL, "missing command before '|' at column 1");
    bad("a | | b", -E_INVAL, "missing command before '|' at column 5");
    bad("a || b", -E_INVAL, "missing command before '|' at column 4");
    bad("a |", -E_INVAL, "missing command after '|' at column 3");
    bad("a |   ", -E_INVAL, "missing command after '|' at column 3");
    bad("a | # comment", -E_INVAL, "missing command after '|' at column 3");
    bad("|", -E_INVAL, "missing command before '|' at column 1");

    /* The argv arrays are NULL-terminated and separate. */
    CHECK(sh_parse("a b | c", &env, &pl, err, sizeof(err)) == 0);
    CHECK(pl.count == 2 && pl.commands[0].argc == 2 && pl.commands[1].argc == 1);
    CHECK(pl.commands[0].argv[2] == NULL && pl.commands[1].argv[1] == NULL);
    CHECK(strcmp(pl.commands[1].argv[0], "c") == 0);
}

static void check_redirections(void)
{
    ok("cmd > out", "[cmd] >out");
    ok("cmd >out", "[cmd] >out");
    ok("cmd>out", "[cmd] >out");
    ok("cmd >> log", "[cmd] >>log");
    ok("cmd>>log", "[cmd] >>log");
    ok("cmd < in", "[cmd] <in");
    ok("cmd<in", "[cmd] <in");
    ok("> out cmd arg", "[cmd] [arg] >out");
    ok("cmd < in > out", "[cmd] <in >out");
    ok("cmd > out < in", "[cmd] <in >out");
    ok("<in cmd >>out arg", "[cmd] [arg] <in >>out");
    ok("cmd arg1 > out arg2", "[cmd] [arg1] [arg2] >out");
    ok("sort < in | uniq > out", "[sort] <in | [uniq] >out");
    ok("a > f | b", "[a] >f | [b]");
    ok("cmd > 'my file' < \"$HOME/in\"", "[cmd] </home/user/in >my file");
    ok("cmd > $USER.txt", "[cmd] >root.txt");
    ok("cmd > a\\ b", "[cmd] >a b");
    ok("cmd 'a>b' a\\>b", "[cmd] [a>b] [a>b]");
    ok("> out", " >out");
    ok("< in", " <in");
    ok("cmd x2>f", "[cmd] [x2] >f");
    ok("cmd 2 >f", "[cmd] [2] >f");
    ok("cmd '2'>f", "[cmd] [2] >f");

    bad("cmd >", -E_INVAL, "missing file name after '>'");
    bad("cmd >>", -E_INVAL, "missing file name after '>>'");
    bad("cmd <", -E_INVAL, "missing file name after '<'");
    bad("cmd >   ", -E_INVAL, "missing file name after '>'");
    bad("cmd > | b", -E_INVAL, "missing file name after '>'");
    bad("cmd > > f", -E_INVAL, "missing file name after '>'");
    bad("cmd >>> f", -E_INVAL, "missing file name after '>>'");
    bad("cmd < > f", -E_INVAL, "missing file name after '<'");
    bad("cmd > # x", -E_INVAL, "missing file name after '>'");
    bad("cmd > ''", -E_INVAL, "file name after '>' is empty");
    bad("cmd < $NOPE", -E_INVAL, "file name after '<' is empty");
    bad("cmd >> \"$EMPTY\"", -E_INVAL, "file name after '>>' is empty");
    bad("cmd > a > b", -E_INVAL, "a command can have only one '>' or '>>'");
    bad("cmd > a >> b", -E_INVAL, "a command can have only one '>' or '>>'");
    bad("cmd < a < b", -E_INVAL, "a command can have only one '<'");
    ok("cmd 2>errs", "[cmd] 2>errs");
    ok("cmd 2>> log arg", "[cmd] [arg] 2>>log");
    ok("cmd > out 2>&1", "[cmd] >out 2>&1");
    ok("cmd 2>&1 | b", "[cmd] 2>&1 | [b]");
    ok("cmd 0<in 1>out", "[cmd] <in >out");
    ok("2>e cmd > o", "[cmd] >o 2>e");
    bad("cmd 3>f", -E_INVAL, "'3>' is not supported: only 0<, 1> and 2> can be redirected");
    bad("cmd 2<f", -E_INVAL, "'2<' is not supported: only 0<, 1> and 2> can be redirected");
    bad("cmd 1<f", -E_INVAL, "'1<' is not supported: only 0<, 1> and 2> can be redirected");
    bad("cmd 2>&2", -E_INVAL, "only '2>&1' can join standard error to another stream");
    bad("cmd 2>&1x", -E_INVAL, "only '2>&1' can join standard error to another stream");
    bad("cmd 2>a 2>&1", -E_INVAL, "a command can have only one '2>', '2>>' or '2>&1'");
    bad("cmd 2>", -E_INVAL, "missing file name after '>'");
}

static void check_unsupported(void)
{
    bad("a ; b", -E_INVAL, "';' is not supported (quote it to use it as text)");
    bad("a;b", -E_INVAL, "';' is not supported (quote it to use it as text)");
    bad("a & b", -E_INVAL, "'&' is not supported (quote it to use it as text)");
    bad("a &", -E_INVAL, "'&' is not supported (quote it to use it as text)");
    bad("a && b", -E_INVAL, "'&' is not supported (quote it to use it as text)");
    bad("(a)", -E_INVAL, "'(' is not supported (quote it to use it as text)");
    bad("echo `ls`", -E_INVAL, "'`' is not supported (quote it to use it as text)");
    bad("cmd >&2", -E_INVAL, "missing file name after '>'");
}

static void check_quote_errors(void)
{
    bad("echo 'abc", -E_INVAL, "missing closing ' (opened at column 6)");
    bad("echo \"abc", -E_INVAL, "missing closing \" (opened at column 6)");
    bad("'", -E_INVAL, "missing closing ' (opened at column 1)");
    bad("\"", -E_INVAL, "missing closing \" (opened at column 1)");
    bad("echo \"it's", -E_INVAL, "missing closing \" (opened at column 6)");
    bad("echo 'say \"hi\"", -E_INVAL, "missing closing ' (opened at column 6)");
    bad("echo ok | cat 'x", -E_INVAL, "missing closing ' (opened at column 15)");
    bad("cmd > 'f", -E_INVAL, "missing closing ' (opened at column 7)");

    /* err may be NULL or tiny; the code still says what happened. */
    CHECK(sh_parse("echo 'abc", &env, &pl, NULL, 0) == -E_INVAL);
    char tiny[8] = "xxxxxxx";
    CHECK(sh_parse("echo 'abc", &env, &pl, tiny, 5) == -E_INVAL);
    CHECK(strcmp(tiny, "miss") == 0 && tiny[5] == 'x');
    CHECK(sh_parse("echo 'abc", &env, &pl, tiny, 1) == -E_INVAL && tiny[0] == '\0');
    CHECK(sh_parse(NULL, &env, &pl, err, sizeof(err)) == -E_INVAL && err[0] != '\0');
    /* A good parse clears an old message. */
    CHECK(sh_parse("ls", &env, &pl, err, sizeof(err)) == 0 && err[0] == '\0');
}

/* Builds a line of n words "w w w ..." into buf. */
static void make_words(char *buf, int n)
{
    buf[0] = '\0';
    for (int i = 0; i < n; i++)
        strcat(buf, i ? " w" : "w");
}

static void check_limits(void)
{
    static char line[SH_LINE_MAX + 2];

    /* A 4,000-character word, quoted and not. */
    memset(line, 'x', 4000);
    line[4000] = '\0';
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0);
    CHECK(pl.count == 1 && pl.commands[0].argc == 1 && strlen(pl.commands[0].argv[0]) == 4000);
    line[0] = '\'';
    line[3999] = '\'';
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0);
    CHECK(pl.count == 1 && strlen(pl.commands[0].argv[0]) == 3998);

    /* A 4,000-character line of 2,000 words is too many words. */
    for (int i = 0; i < 4000; i++)
        line[i] = i % 2 ? ' ' : 'a';
    line[4000] = '\0';
    bad(line, -E_2BIG, "too many words (over 256)");

    /* A 4,000-character line of unclosed quotes and pipes fails cleanly. */
    memset(line, '"', 3999);
    line[3999] = '\0';
    bad(line, -E_INVAL, "missing closing \" (opened at column 3999)");
    memset(line, '|', 4000);
    line[4000] = '\0';
    bad(line, -E_INVAL, "missing command before '|' at column 1");

    /* 256 words are fine, in one command or spread over a pipeline. */
    make_words(line, SH_WORDS_MAX);
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0 && pl.commands[0].argc == 256);
    CHECK(pl.commands[0].argv[256] == NULL);
    make_words(line, SH_WORDS_MAX + 1);
    bad(line, -E_2BIG, "too many words (over 256)");
    line[0] = '\0';
    for (int i = 0; i < 16; i++)
        strcat(line, i ? " | a b c d e f g h i j k l m n o p" : "a b c d e f g h i j k l m n o p");
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0 && pl.count == 16);
    CHECK(pl.commands[15].argc == 16 && pl.commands[15].argv[16] == NULL);
    strcat(line, " q");
    pl.count = 99;
    bad(line, -E_2BIG, "too many words (over 256)");

    /* 16 commands are fine, 17 are not. */
    line[0] = '\0';
    for (int i = 0; i < 16; i++)
        strcat(line, i ? "|c" : "c");
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0 && pl.count == 16);
    strcat(line, "|c");
    bad(line, -E_2BIG, "too many commands in the pipeline (over 16)");

    /* 8192 characters are fine, 8193 are not. */
    memset(line, ' ', SH_LINE_MAX);
    memcpy(line + SH_LINE_MAX - 4, "echo", 4);
    line[SH_LINE_MAX] = '\0';
    ok(line, "[echo]");
    line[SH_LINE_MAX] = ' ';
    line[SH_LINE_MAX + 1] = '\0';
    bad(line, -E_2BIG, "line too long (over 8192 characters)");

    /* Expansion can grow a short line past the text space. */
    memset(long_value, 'v', sizeof(long_value) - 1);
    line[0] = '\0';
    for (int i = 0; i < 16; i++)
        strcat(line, "$LONG ");
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0);
    CHECK(pl.count == 1 && pl.commands[0].argc == 16 && strlen(pl.commands[0].argv[15]) == 1000);
    /* That used 16 * 1001 bytes (words and NULs); 368 more fill it exactly. */
    size_t n = strlen(line);
    memset(line + n, 'x', 367);
    line[n + 367] = '\0';
    CHECK(sh_parse(line, &env, &pl, err, sizeof(err)) == 0 && pl.text_used == SH_TEXT_MAX);
    CHECK(pl.commands[0].argc == 17 && strlen(pl.commands[0].argv[16]) == 367);
    strcat(line, "x");
    bad(line, -E_2BIG, "line too long after expansion (over 16384 characters)");
    line[n] = '\0';
    for (int i = 0; i < 4; i++)
        strcat(line, "\"$LONG\"");
    bad(line, -E_2BIG, "line too long after expansion (over 16384 characters)");
    long_value[0] = '\0';
}

/* Splits line with sh_part; the parts must be want, each in <...>. */
static void parts(const char *line, const char *want)
{
    static char got[1024];
    size_t n = 0;
    got[0] = '\0';
    for (const char *at = line; at != NULL && n < sizeof(got);) {
        const char *next;
        size_t length = sh_part(at, &next);
        CHECKF(at + length <= line + strlen(line), "line <%s>: part past the end", line);
        n += (size_t)snprintf(got + n, sizeof(got) - n, "<%.*s>", (int)length, at);
        at = next;
    }
    CHECKF(strcmp(got, want) == 0, "line <%s>: parts %s, want %s", line, got, want);
}

static void check_parts(void)
{
    parts("", "<>");
    parts("ls", "<ls>");
    parts("a; b ;c", "<a>< b ><c>");
    parts("a;", "<a><>");
    /* The issue's line: the ';' inside the comment separates nothing. */
    parts("echo hi # note; echo X", "<echo hi >");
    parts("# all comment; rm x", "<>");
    parts("a;# b; c", "<a><>");
    parts("a |# b; c", "<a |>");
    parts("a >#f; c", "<a >>");
    parts("a\t# b; c", "<a\t>");
    /* '#' inside a word, quoted or escaped is text, and so is a quoted or escaped ';'. */
    parts("echo a#b; c", "<echo a#b>< c>");
    parts("echo $#; c", "<echo $#>< c>");
    parts("echo '# x; y'; c", "<echo '# x; y'>< c>");
    parts("echo \"# x; \\\" y\"; c", "<echo \"# x; \\\" y\">< c>");
    parts("echo \\# x; c", "<echo \\# x>< c>");
    parts("echo \\; x", "<echo \\; x>");
    parts("echo '#'#; c", "<echo '#'#>< c>");
    /* An unclosed quote takes the rest of the line, for sh_parse to report. */
    parts("echo 'a; b", "<echo 'a; b>");
    parts("echo \\", "<echo \\>");
}

static void check_assignment(void)
{
    char name[16];
    const char *value = NULL;

    CHECK(sh_assignment("PATH=/bin", name, sizeof(name), &value) == 0);
    CHECK(strcmp(name, "PATH") == 0 && strcmp(value, "/bin") == 0);
    CHECK(sh_assignment("A=", name, sizeof(name), &value) == 0);
    CHECK(strcmp(name, "A") == 0 && strcmp(value, "") == 0);
    CHECK(sh_assignment("_a1=x=y", name, sizeof(name), &value) == 0);
    CHECK(strcmp(name, "_a1") == 0 && strcmp(value, "x=y") == 0);
    CHECK(sh_assignment("PATH", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("=x", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("1A=x", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("A-B=x", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("A B=x", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("", name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment(NULL, name, sizeof(name), &value) == -E_INVAL);
    CHECK(sh_assignment("ABCDEFGHIJKLMNO=1", name, sizeof(name), &value) == 0);
    CHECK(strcmp(name, "ABCDEFGHIJKLMNO") == 0);
    strcpy(name, "unchanged");
    CHECK(sh_assignment("ABCDEFGHIJKLMNOP=1", name, sizeof(name), &value) == -E_2BIG);
    CHECK(strcmp(name, "unchanged") == 0);

    CHECK(sh_name_valid("PATH") && sh_name_valid("_") && sh_name_valid("a1_B"));
    CHECK(!sh_name_valid("") && !sh_name_valid(NULL) && !sh_name_valid("1a"));
    CHECK(!sh_name_valid("A=B") && !sh_name_valid("A B") && !sh_name_valid("$A"));
}

static void check_builtins(void)
{
    CHECK(sh_builtin_find("cd") == SH_BUILTIN_CD);
    CHECK(sh_builtin_find("pwd") == SH_BUILTIN_PWD);
    CHECK(sh_builtin_find("exit") == SH_BUILTIN_EXIT);
    CHECK(sh_builtin_find("logout") == SH_BUILTIN_EXIT);
    CHECK(sh_builtin_find("export") == SH_BUILTIN_EXPORT);
    CHECK(sh_builtin_find("unset") == SH_BUILTIN_UNSET);
    CHECK(sh_builtin_find("help") == SH_BUILTIN_HELP);
    CHECK(sh_builtin_find("history") == SH_BUILTIN_HISTORY);
    CHECK(sh_builtin_find("ls") == SH_NOT_BUILTIN);
    CHECK(sh_builtin_find("CD") == SH_NOT_BUILTIN);
    CHECK(sh_builtin_find("c") == SH_NOT_BUILTIN);
    CHECK(sh_builtin_find("cdx") == SH_NOT_BUILTIN);
    CHECK(sh_builtin_find("") == SH_NOT_BUILTIN);
    CHECK(sh_builtin_find(NULL) == SH_NOT_BUILTIN);
    CHECK(sh_is_builtin("cd") && sh_is_builtin("logout") && !sh_is_builtin("/bin/cd"));

    /* Every entry has usage and summary text for help. */
    int n = 0;
    for (const struct sh_builtin_info *b = sh_builtins; b->name; b++, n++)
        CHECKF(b->id != SH_NOT_BUILTIN && b->usage && b->summary &&
                   strncmp(b->usage, b->name, strlen(b->name)) == 0,
               "builtin %s", b->name);
    CHECK(n == 8);
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static uint32_t random_next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

/* Whether s is a whole string lying inside the pipeline's text. */
static bool in_text(const struct sh_pipeline *p, const char *s)
{
    return s >= p->text && s < p->text + p->text_used &&
           memchr(s, '\0', (size_t)(p->text + p->text_used - s));
}

/* A successful parse must describe a well-formed pipeline. */
static bool well_formed(const struct sh_pipeline *p)
{
    if (p->count < 0 || p->count > SH_COMMANDS_MAX || p->text_used > SH_TEXT_MAX)
        return false;
    for (int c = 0; c < p->count; c++) {
        const struct sh_command *cmd = &p->commands[c];
        if (cmd->argc < 0 || cmd->argc > SH_WORDS_MAX || cmd->argv[cmd->argc] != NULL)
            return false;
        for (int i = 0; i < cmd->argc; i++)
            if (!in_text(p, cmd->argv[i]))
                return false;
        if ((cmd->input && !in_text(p, cmd->input)) || (cmd->output && !in_text(p, cmd->output)) ||
            (cmd->error && !in_text(p, cmd->error)))
            return false;
    }
    return true;
}

/*
 * Random lines, half from shell punctuation (so quotes, pipes and
 * expansions meet in every combination) and half any byte at all.
 */
static void check_random_lines(void)
{
    static const char alphabet[] = "ab $?{}'\"\\|<>#;&2 \t\nHOMEUSERLONG_";
    char line[96];
    int parsed = 0, failed = 0;

    for (int iter = 0; iter < 100000; iter++) {
        size_t len = random_next() % (sizeof(line) - 1);
        bool any_byte = iter % 2;
        for (size_t i = 0; i < len; i++) {
            if (any_byte)
                line[i] = (char)(random_next() % 255 + 1);
            else
                line[i] = alphabet[random_next() % (sizeof(alphabet) - 1)];
        }
        line[len] = '\0';
        err[0] = 'X';
        int r = sh_parse(line, &env, &pl, iter % 3 ? err : NULL, sizeof(err));
        if (r == 0) {
            parsed++;
            CHECKF(well_formed(&pl), "line <%s>", line);
        } else {
            failed++;
            CHECKF(r == -E_INVAL || r == -E_2BIG, "line <%s>: returned %d", line, r);
            CHECKF(pl.count == 0, "line <%s>", line);
            if (iter % 3)
                CHECKF(err[0] != '\0' && err[0] != 'X', "line <%s>: no message", line);
        }
    }
    /* Both outcomes must actually occur, or the generator is broken. */
    CHECKF(parsed > 10000 && failed > 10000, "parsed %d, failed %d", parsed, failed);
}

/*
 * Random words of any bytes, each put in '...' (a ' inside becomes
 * '\''), must parse back into exactly the same words.
 */
static void check_random_quoting(void)
{
    static char words[40][24];
    static char line[SH_LINE_MAX + 1];

    for (int iter = 0; iter < 2000; iter++) {
        int n = 1 + (int)(random_next() % 40);
        size_t len = 0;
        for (int w = 0; w < n; w++) {
            size_t wlen = random_next() % (sizeof(words[w]) - 1);
            for (size_t i = 0; i < wlen; i++)
                words[w][i] = (char)(random_next() % 255 + 1);
            words[w][wlen] = '\0';
            if (w)
                line[len++] = ' ';
            line[len++] = '\'';
            for (size_t i = 0; i < wlen; i++) {
                if (words[w][i] == '\'') {
                    memcpy(line + len, "'\\''", 4);
                    len += 4;
                } else {
                    line[len++] = words[w][i];
                }
            }
            line[len++] = '\'';
        }
        line[len] = '\0';
        int r = sh_parse(line, &env, &pl, err, sizeof(err));
        bool same = r == 0 && pl.count == 1 && pl.commands[0].argc == n;
        for (int w = 0; same && w < n; w++)
            same = strcmp(pl.commands[0].argv[w], words[w]) == 0;
        CHECKF(same, "iteration %d: returned %d (%s)", iter, r, err);
    }
}

int main(void)
{
    check_words();
    check_quotes();
    check_escapes();
    check_expansion();
    check_pipes();
    check_redirections();
    check_unsupported();
    check_quote_errors();
    check_limits();
    check_parts();
    check_assignment();
    check_builtins();
    check_random_lines();
    check_random_quoting();
    return check_finish("sh_parse_test");
}
