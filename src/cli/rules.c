/*
 * rules.c — `jifen rules check [RULES.json] [--db PATH] [--defaults] [--json]`: the rules check
 * (core/rules_check.h, SPEC 5.9) of a rules file (a patch over the defaults, or a whole
 * document), of the defaults, or of the rules in force in a store; a report in Chinese and
 * English, or JSON. And the warnings that `jifen serve` prints at start and on a rules change.
 *
 * Exit status: 0 when the check is made (whatever it warns); 1 when the rules are refused —
 * invalid, or deeper than compliance.max_generations (the report is printed, then the error);
 * 2 for a bad command line or store.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "amount.h"
#include "cli.h"
#include "jf_assert.h"
#include "rules_check.h"
#include "store.h"
#include "svc.h"
#include "types.h"

static const char usage_text[] =
    "usage: jifen rules check [RULES.json | --defaults | --db PATH] [--json]\n"
    "  the depth and cost of every reward, the static worst cases and the compliance warnings\n"
    "  of a rules file (a patch over the defaults), of the defaults, or of the rules in force\n"
    "  in the store (--db PATH, else $JIFEN_DB, else jifen.db)\n";

#define WRAP 96

/* ---- display width ---------------------------------------------------------------------- */

/* Decodes the UTF-8 character at s (valid UTF-8: the JSON parser and this file's texts). */
static unsigned decode(const char *s, int *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) {
        *len = 1;
        return u[0];
    }
    if (u[0] < 0xE0 && u[1]) {
        *len = 2;
        return ((u[0] & 0x1Fu) << 6) | (u[1] & 0x3Fu);
    }
    if (u[0] < 0xF0 && u[1] && u[2]) {
        *len = 3;
        return ((u[0] & 0x0Fu) << 12) | ((u[1] & 0x3Fu) << 6) | (u[2] & 0x3Fu);
    }
    *len = u[1] && u[2] && u[3] ? 4 : 1;
    return *len == 4 ? ((u[0] & 0x07u) << 18) | ((u[1] & 0x3Fu) << 12) | ((u[2] & 0x3Fu) << 6) |
                           (u[3] & 0x3Fu)
                     : 0xFFFD;
}

/* East Asian wide characters (CJK, fullwidth forms) take two columns of a terminal. */
static bool wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0x303E) ||
           (cp >= 0x3041 && cp <= 0x33FF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xA000 && cp <= 0xA4CF) ||
           (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
           (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
}

static int columns(const char *s)
{
    int n = 0, len;
    for (; *s; s += len) {
        n += wide(decode(s, &len)) ? 2 : 1;
    }
    return n;
}

/* Prints s padded with spaces to `width` columns (at least one space after it). */
static void pad(FILE *f, const char *s, int width)
{
    int c = columns(s);
    fprintf(f, "%s%*s", s, c < width ? width - c : 1, "");
}

/* Closing punctuation stays with the character before it; opening with the one after. */
static bool closing(unsigned cp)
{
    return cp == 0x3001 || cp == 0x3002 || cp == 0xFF0C || cp == 0xFF1A || cp == 0xFF1B ||
           cp == 0xFF09 || cp == 0x300B || cp == 0x300D || cp == 0xFF01 || cp == 0xFF1F;
}

static bool opening(unsigned cp)
{
    return cp == 0xFF08 || cp == 0x300A || cp == 0x300C;
}

/* The length in bytes of the token at s: spaces, a run of narrow characters, or one wide
 * character with the punctuation that sticks to it. */
static int token(const char *s, bool *space, int *cols)
{
    int len, n = 0;
    unsigned cp = decode(s, &len);
    *space = cp == ' ';
    *cols = 0;
    if (*space) {
        while (s[n] == ' ') {
            n++;
        }
        *cols = n;
        return n;
    }
    if (!wide(cp)) {
        while (s[n] && s[n] != ' ') {
            cp = decode(s + n, &len);
            if (wide(cp)) {
                break;
            }
            n += len;
            (*cols)++;
        }
        return n;
    }
    /* opening marks, then one wide character or a run of narrow ones, then closing marks */
    while (opening(cp) && s[n + len]) {
        n += len;
        *cols += 2;
        cp = decode(s + n, &len);
    }
    if (wide(cp)) {
        n += len;
        *cols += 2;
    } else {
        while (s[n] && s[n] != ' ' && !wide(decode(s + n, &len))) {
            n += len;
            (*cols)++;
        }
    }
    while (s[n] && closing(decode(s + n, &len))) {
        n += len;
        *cols += 2;
    }
    return n;
}

/* Prints `text` wrapped at WRAP columns, each line starting with `indent` spaces. */
static void wrap(FILE *f, int indent, const char *text)
{
    int col = indent, spaces = 0; /* spaces are written only before what follows them */
    fprintf(f, "%*s", indent, "");
    for (const char *s = text; *s;) {
        bool space;
        int cols;
        int n = token(s, &space, &cols);
        if (space) {
            spaces += col > indent ? n : 0;
        } else if (col > indent && col + spaces + cols > WRAP) {
            fprintf(f, "\n%*s", indent, "");
            fwrite(s, 1, (size_t)n, f);
            col = indent + cols;
            spaces = 0;
        } else {
            fprintf(f, "%*s", spaces, "");
            fwrite(s, 1, (size_t)n, f);
            col += spaces + cols;
            spaces = 0;
        }
        s += n;
    }
    fputc('\n', f);
}

/* ---- the report ------------------------------------------------------------------------- */

static void assets_text(uint32_t bits, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < JF_ASSET_COUNT && len < n; i++) {
        if (bits & (1u << (unsigned)i)) {
            len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? ", " : "", jf_asset_name(i));
        }
    }
}

/* "50% + 30% = 80%", or "5%" for one rate. */
static void rates_text(const struct jf_check_reward *w, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i < w->n_rates && len < n; i++) {
        char p[32];
        jf_check_percent(w->rates_ppm[i], p, sizeof p);
        len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? " + " : "", p);
    }
    if (w->n_rates > 1 && len < n) {
        char p[32];
        jf_check_percent(w->total_ppm, p, sizeof p);
        snprintf(buf + len, n - len, " = %s", p);
    }
}

/* What a reward pays and on what, in English with the basis in Chinese too. */
static void pays_text(const struct jf_check_reward *w, char *buf, size_t n)
{
    char r[512], a[32], b[32], p[32], basis[256];
    rates_text(w, r, sizeof r);
    snprintf(basis, sizeof basis, "%s %s", w->basis_en, w->basis_zh);
    if (strcmp(w->id, "team") == 0) {
        char ranks[512];
        size_t len = 0;
        ranks[0] = '\0';
        for (int i = 0; i < w->n_rates && len < sizeof ranks; i++) {
            jf_check_percent(w->rates_ppm[i], a, sizeof a);
            len += (size_t)snprintf(ranks + len, sizeof ranks - len, "%s%s", i ? ", " : "", a);
        }
        jf_check_percent(w->total_ppm, p, sizeof p);
        snprintf(buf, n, "up to %s of %s: the differential of the rank rates %s", p, basis,
                 ranks);
    } else if (strcmp(w->id, "peer") == 0) {
        jf_check_percent(w->rates_ppm[0], a, sizeof a);
        jf_check_percent(w->total_ppm, p, sizeof p);
        snprintf(buf, n, "%s of %s, once for each of up to %d ranks met: up to %s", a, basis,
                 w->peer_chances, p);
    } else if (strcmp(w->id, "friend_consumption") == 0) {
        jf_rate_format(w->multiplier_ppm, a, sizeof a);
        snprintf(buf, n, "%s of %s x %s (contribution per fen)", r, basis, a);
    } else if (strcmp(w->id, "friend_first_reach") == 0) {
        jf_amount_format(w->amount, a, sizeof a);
        jf_amount_format(w->threshold, b, sizeof b);
        snprintf(buf, n, "%s once per recruit, on %s (%s)", a, basis, b);
    } else if (strcmp(w->id, "friend_first_purchase") == 0) {
        jf_amount_format(w->amount, a, sizeof a);
        snprintf(buf, n, "%s once per recruit, on %s", a, basis);
    } else if (strcmp(w->id, "agents") == 0) {
        char c[4][32];
        for (int i = 0; i < 4; i++) {
            jf_check_percent(w->rates_ppm[i], c[i], sizeof c[i]);
        }
        jf_check_percent(w->total_ppm, p, sizeof p);
        snprintf(buf, n,
                 "area %s x %d area%s + province %s + city %s + county %s = up to %s of %s",
                 c[0], w->areas, w->areas == 1 ? "" : "s", c[1], c[2], c[3], p, basis);
    } else {
        snprintf(buf, n, "%s of %s", r, basis);
    }
}

static void print_programs(const struct jf_rules_check *c)
{
    char a[256];
    printf("奖励计划 Programs\n");
    for (int i = 0; i < JF_CP_COUNT; i++) {
        const struct jf_check_program *p = &c->programs[i];
        char name[128];
        snprintf(name, sizeof name, "%s %s", p->zh, p->en);
        printf("  %-4s", p->enabled ? "on" : "off");
        pad(stdout, name, 42);
        assets_text(p->liabilities, a, sizeof a);
        if (p->enabled) {
            printf("%-14screates %s\n", p->id, a);
        } else {
            printf("%s\n", p->id);
        }
    }
    char line[512];
    assets_text(c->liabilities, a, sizeof a);
    snprintf(line, sizeof line, "负债资产 Liabilities (assets the programs that are on credit to "
             "members): %s", a[0] ? a : "none 无");
    wrap(stdout, 2, line);
    printf("\n");
}

static void print_rewards(const struct jf_rules_check *c)
{
    printf("按他人活动计酬的奖励 Rewards paid on other members' activity\n");
    for (int i = 0; i < JF_CR_COUNT; i++) {
        const struct jf_check_reward *w = &c->rewards[i];
        char name[128], depth[64];
        snprintf(name, sizeof name, "%s %s", w->zh, w->en);
        switch (w->reach) {
        case JF_REACH_OFF:
            snprintf(depth, sizeof depth, "off 关");
            break;
        case JF_REACH_UNLIMITED:
            snprintf(depth, sizeof depth, "unlimited 无限代");
            break;
        case JF_REACH_REGION:
            snprintf(depth, sizeof depth, "by region 按地区");
            break;
        case JF_REACH_GENERATIONS:
            snprintf(depth, sizeof depth, "%d generation%s %d 代", w->generations,
                     w->generations == 1 ? "" : "s", w->generations);
            break;
        }
        printf("  ");
        pad(stdout, name, 34);
        pad(stdout, depth, 22);
        printf("%s%s\n", w->path, c->exceeds[i] ? "  REFUSED 超限" : "");
        if (w->reach == JF_REACH_OFF) {
            continue;
        }
        char pays[768], line[1024];
        pays_text(w, pays, sizeof pays);
        snprintf(line, sizeof line, "%s, in %s%s", pays, jf_asset_name(w->asset),
                 w->recruiting ? " — recruiting 拉人头" : "");
        wrap(stdout, 6, line);
    }
    printf("\n");
}

static void print_worst(const struct jf_rules_check *c)
{
    char a[32], b[32], d[32], e[32], line[1024];
    printf("静态最坏情况 Static worst cases\n");
    if (!c->release.enabled) {
        printf("  积分释放 Release pool: off 关\n");
    } else {
        jf_check_percent(c->release.daily_rate_ppm, a, sizeof a);
        printf("  积分释放 Release pool: static release %s of the order amount a day\n", a);
        printf("    档位 tier            起点 min    倍数 lot    出局天数 days to exit\n");
        for (int i = 0; i < c->release.n_tiers; i++) {
            const struct jf_check_tier *t = &c->release.tiers[i];
            jf_amount_format(t->min, a, sizeof a);
            jf_rate_format(t->multiplier_ppm, b, sizeof b);
            strcat(b, " x");
            if (t->days >= 0) {
                snprintf(d, sizeof d, "%lld", (long long)t->days);
            } else {
                snprintf(d, sizeof d, "never 不出局");
            }
            printf("    ");
            pad(stdout, t->name, 18);
            printf("%12s    %-11s%s\n", a, b, d);
        }
        jf_check_percent(c->release.up_total_ppm, a, sizeof a);
        jf_check_percent(c->release.up_share_ppm, b, sizeof b);
        jf_check_percent(c->release.up_team_ppm, d, sizeof d);
        jf_check_percent(c->release.up_peer_ppm, e, sizeof e);
        const struct jf_check_reward *peer = &c->rewards[JF_CR_PEER];
        char peer_how[64] = "";
        if (peer->reach != JF_REACH_OFF) {
            char p[32];
            jf_check_percent(peer->rates_ppm[0], p, sizeof p);
            snprintf(peer_how, sizeof peer_how, " (%s x %d ranks)", p, peer->peer_chances);
        }
        snprintf(line, sizeof line,
                 "单日向上支付 Paid upward in one day, as a share of one downline's static "
                 "release: %s = share %s + team differential %s (the highest rank rate) + peer "
                 "%s%s; taken from each recipient's own locked points (what one lacks is "
                 "forfeited, 烧伤)",
                 a, b, d, e, peer_how);
        wrap(stdout, 4, line);
    }
    if (!c->ad.enabled) {
        printf("  广告积分 Ad points: off 关\n");
    } else {
        jf_check_percent(c->ad.rate_ppm, a, sizeof a);
        jf_amount_format(c->ad.min_release, b, sizeof b);
        jf_check_percent(c->ad.cash_per_point_ppm, d, sizeof d);
        jf_check_percent(c->ad.cash_per_point_ppm - JF_PPM, e, sizeof e);
        char exit_how[128];
        if (c->ad.days >= 0) {
            snprintf(exit_how, sizeof exit_how, "every point is released in %lld task days",
                     (long long)c->ad.days);
        } else {
            snprintf(exit_how, sizeof exit_how,
                     "a geometric decline with no fixed exit (min_release %s)", b);
        }
        snprintf(line, sizeof line,
                 "广告积分 Ad points: %s of the %s a day with the ad task: %s; each ad point "
                 "released pays 1.00 in cash and %s more to uplines: %s of it in cash",
                 a, c->ad.basis == JF_AD_ORIGINAL ? "original ad points" : "balance", exit_how, e,
                 d);
        wrap(stdout, 2, line);
    }
    if (!c->growth.enabled) {
        printf("  消费增值 Growth pool: off 关\n");
    } else {
        jf_check_percent(c->growth.sell_payout_ppm, a, sizeof a);
        jf_check_percent(c->growth.pool_keeps_ppm, b, sizeof b);
        jf_check_percent(c->growth.gift_ppm, d, sizeof d);
        jf_rate_format(c->growth.cap_multiple_ppm, e, sizeof e);
        snprintf(line, sizeof line,
                 "消费增值 Growth pool (托底池): a sale pays %s of the pool's value of the points "
                 "sold and the pool keeps %s; grants are worth %s of the order contribution; a "
                 "member is sold out at %s x its spending",
                 a, b, d, e);
        wrap(stdout, 2, line);
    }
    printf("\n");
}

static void print_compliance(const struct jf_rules_check *c)
{
    char deepest[64];
    if (c->deepest_reach == JF_REACH_UNLIMITED) {
        snprintf(deepest, sizeof deepest, "unlimited 无限代");
    } else if (c->deepest_reach == JF_REACH_GENERATIONS) {
        snprintf(deepest, sizeof deepest, "%d generation%s %d 代", c->deepest_generations,
                 c->deepest_generations == 1 ? "" : "s", c->deepest_generations);
    } else {
        snprintf(deepest, sizeof deepest, "none 无");
    }
    printf("合规 Compliance\n");
    printf("  the deepest reward reaches 最深计酬: %s\n", deepest);
    if (c->max_generations < 0) {
        printf("  compliance.max_generations: none 不限\n\n");
    } else {
        printf("  compliance.max_generations: %d — %s\n\n", (int)c->max_generations,
               c->refused ? "REFUSED 拒绝: see below" : "respected 符合");
    }
}

static void print_warnings(const struct jf_rules_check *c)
{
    int n = 0;
    for (int w = 0; w < JF_CW_COUNT; w++) {
        n += c->warn[w];
    }
    printf("警告 Warnings: %d\n", n);
    for (int w = 0, k = 0; w < JF_CW_COUNT; w++) {
        if (!c->warn[w]) {
            continue;
        }
        char text[2048];
        printf("  [%d] %s — %s\n", ++k, jf_check_warning_title(w, true),
               jf_check_warning_title(w, false));
        jf_check_warning_text(c, w, true, text, sizeof text);
        wrap(stdout, 6, text);
        jf_check_warning_text(c, w, false, text, sizeof text);
        wrap(stdout, 6, text);
    }
}

/* ---- the command ------------------------------------------------------------------------ */

static char *read_text(const char *path, struct jf_err *err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (f == NULL) {
        jf_err_set(err, JF_E_INVALID, "rules", "open '%s' failed", path);
        return NULL;
    }
    char *buf = jf_xmalloc(JF_RULES_BYTES_MAX + 2);
    size_t n = fread(buf, 1, JF_RULES_BYTES_MAX + 1, f);
    if (f != stdin) {
        fclose(f);
    }
    if (n > JF_RULES_BYTES_MAX) {
        free(buf);
        jf_err_set(err, JF_E_TOO_LARGE, "rules", "'%s' is larger than %d bytes", path,
                   JF_RULES_BYTES_MAX);
        return NULL;
    }
    buf[n] = '\0';
    return buf;
}

/* Takes the flag `name` out of argv; true when it was there. */
static bool take_flag(int *argc, char **argv, const char *name)
{
    for (int i = 0; i < *argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            memmove(&argv[i], &argv[i + 1], sizeof *argv * (size_t)(*argc - i - 1));
            (*argc)--;
            return true;
        }
    }
    return false;
}

/* The rules of a file or of the defaults into *r; 0, 1 (refused: *refused holds why, and *r
 * is complete when only the compliance limit refused), or 2. */
static int rules_of_file(const char *file, struct jf_rules *r, struct jf_err *refused)
{
    char *text = file ? read_text(file, refused) : jf_xstrdup("{}");
    if (text == NULL) {
        cli_print_err("rules", refused);
        return 2;
    }
    json_t *doc = NULL;
    int rc = jf_rules_apply_text(NULL, text, &doc, r, refused);
    free(text);
    json_decref(doc);
    return rc == JF_OK ? 0 : 1;
}

static int rules_of_store(const char *path, struct jf_rules *r, int64_t *version)
{
    struct jf_svc *svc;
    if (cli_open_existing("rules", path, &svc) != 0) {
        return 2;
    }
    struct jf_err err;
    jf_err_clear(&err);
    int rc = jf_svc_read_begin(svc, &err);
    if (rc == JF_OK) {
        rc = st_rules_newest(jf_svc_db(svc), version, &err);
        *r = *jf_svc_rules(svc);
        jf_svc_read_end(svc);
    }
    jf_svc_close(svc);
    if (rc != JF_OK) {
        cli_print_err("rules", &err);
        return 2;
    }
    return 0;
}

static int check(int argc, char **argv)
{
    static const char *const names[] = {"--db", NULL};
    const char *vals[1] = {NULL}, *file = NULL;
    bool json = take_flag(&argc, argv, "--json");
    bool defaults = take_flag(&argc, argv, "--defaults");
    if (!cli_parse_opts(argc, argv, names, vals, &file) ||
        (file != NULL) + (vals[0] != NULL) + defaults > 1) {
        fputs(usage_text, stderr);
        return 2;
    }
    struct jf_rules *r = jf_xcalloc(1, sizeof *r);
    struct jf_err refused;
    jf_err_clear(&refused);
    char source[512];
    int status;
    if (file != NULL || defaults) {
        status = rules_of_file(file, r, &refused);
        snprintf(source, sizeof source, "%s", file ? file : "the defaults 默认规则");
    } else {
        int64_t version = 0;
        const char *path = cli_db_path(vals[0]);
        status = rules_of_store(path, r, &version);
        snprintf(source, sizeof source, "the rules in force in %s, version %lld 当前生效规则", path,
                 (long long)version);
    }
    bool limit_only = status == 1 && refused.code == JF_E_REFUSED &&
                      strcmp(refused.field, "compliance.max_generations") == 0;
    if (status == 2 || (status == 1 && !limit_only)) {
        if (status == 1) {
            cli_print_err("rules", &refused);
        }
        free(r);
        return status;
    }
    struct jf_rules_check *c = jf_xmalloc(sizeof *c);
    jf_rules_check(r, c);
    if (status == 0 && c->refused) {
        /* a stored version from before the limit was enforced (service/svc.c) */
        jf_rules_check_limit(c, &refused);
        status = 1;
        limit_only = true;
    }
    if (json) {
        json_t *doc = jf_rules_check_json(c);
        char *text = json_dumps(doc, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
        puts(text);
        free(text);
        json_decref(doc);
    } else {
        printf("jifen rules check — 规则检查: %s\n\n", source);
        print_programs(c);
        print_rewards(c);
        print_worst(c);
        print_compliance(c);
        print_warnings(c);
    }
    fflush(stdout);
    if (limit_only) {
        cli_print_err("rules", &refused);
    }
    free(c);
    free(r);
    return status;
}

int cmd_rules(int argc, char **argv)
{
    if (argc >= 1 && strcmp(argv[0], "check") == 0) {
        return check(argc - 1, argv + 1);
    }
    fputs(usage_text, stderr);
    return 2;
}
