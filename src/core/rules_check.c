/*
 * rules_check.c — the rules check (see rules_check.h): the depth and cost of every reward paid
 * on other members' activity, the liabilities of every program, the static worst cases, the
 * warnings and the compliance limit.
 *
 * A reward "pays" when its program is on and its numbers pay something: a generation whose
 * rate is 0% pays nothing and does not count towards the depth; the release rewards pay on the
 * static release, so a daily rate of 0% switches them off with it.
 */
#include "rules_check.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "amount.h"
#include "types.h"

static const struct {
    const char *id, *zh, *en;
} program_names[JF_CP_COUNT] = {
    {"points", "消费积分", "consumption points"},
    {"contribution", "贡献值与分红", "contribution and dividends"},
    {"signin", "签到", "sign-in"},
    {"release", "积分释放", "release pool"},
    {"ad", "广告积分", "ad points"},
    {"growth", "消费增值", "appreciation points"},
    {"agents", "区域代理", "regional agents"},
    {"commission", "分销佣金", "order commissions"},
    {"tokens", "通证", "tokens"},
};

static const struct {
    const char *id, *path, *zh, *en, *basis_zh, *basis_en;
    int asset;
} reward_names[JF_CR_COUNT] = {
    {"share", "release.share", "分享收益", "share", "下线的静态释放", "a downline's static release",
     JF_POINTS},
    {"team", "release.ranks", "团队级差", "team differential", "下线的静态释放",
     "a downline's static release", JF_POINTS},
    {"peer", "release.peer", "平级奖", "peer bonus", "下线的静态释放",
     "a downline's static release", JF_POINTS},
    {"friend_consumption", "contribution.friend_consumption.rates", "好友消费奖",
     "friend consumption", "好友的订单金额", "a friend's order amount", JF_CONTRIBUTION},
    {"friend_task", "contribution.friend_task", "好友任务奖", "friend tasks",
     "好友的任务贡献值", "a friend's task contribution", JF_CONTRIBUTION},
    {"friend_first_reach", "contribution.friend_first_reach", "好友达标奖", "friend first reach",
     "被推荐人贡献值首次达标", "a recruit first reaching the contribution threshold",
     JF_CONTRIBUTION},
    {"friend_first_purchase", "contribution.friend_first_purchase", "好友首单奖",
     "friend first purchase", "被推荐人首次购买", "a recruit's first purchase", JF_CONTRIBUTION},
    {"ad_referral", "ad.referral", "广告推广奖", "ad referral", "下线的广告积分释放",
     "a downline's ad points release", JF_CASH},
    {"commission", "commission.rates", "分销佣金", "order commission", "下线的订单金额",
     "a downline's order amount", JF_CASH},
    {"agents", "agents.rates", "区域代理", "regional agents", "本区域的订单金额",
     "the orders of the agent's region", JF_CASH},
};

#define BIT(a) (1u << (unsigned)(a))

/* The generations a rate list reaches: up to its last rate that is not 0. */
static int list_depth(const struct jf_rate_list *l)
{
    int d = 0;
    for (int i = 0; i < l->n; i++) {
        if (l->ppm[i] > 0) {
            d = i + 1;
        }
    }
    return d;
}

static int64_t list_sum(const struct jf_rate_list *l, int upto)
{
    int64_t s = 0;
    for (int i = 0; i < upto; i++) {
        s += l->ppm[i]; /* at most 16 x 100%: no overflow */
    }
    return s;
}

/* A reward along the referral chain over the rates of `l`, when `on`. */
static void set_list(struct jf_check_reward *w, bool on, const struct jf_rate_list *l)
{
    int d = on ? list_depth(l) : 0;
    w->n_rates = d;
    memcpy(w->rates_ppm, l->ppm, sizeof w->rates_ppm[0] * (size_t)d);
    w->total_ppm = list_sum(l, d);
    w->reach = d > 0 ? JF_REACH_GENERATIONS : JF_REACH_OFF;
    w->generations = d;
}

static void set_bonus(struct jf_check_reward *w, bool on, int64_t amount)
{
    if (on && amount > 0) {
        w->reach = JF_REACH_GENERATIONS;
        w->generations = 1;
        w->amount = amount;
        w->recruiting = true;
    }
    w->total_ppm = -1;
}

/* The most area agents one order can pay: the most areas that list one province (a province
 * code is its two first digits and "0000": at most 99 of them). */
static int areas_per_province_max(const struct jf_rules *r)
{
    int count[100] = {0}, best = 0;
    for (int a = 0; a < r->agents.n_areas; a++) {
        bool seen[100] = {false};
        for (int p = 0; p < r->agents.areas[a].n; p++) {
            int k = r->agents.areas[a].provinces[p] / 10000; /* 1..99 (rules.c) */
            if (!seen[k]) {
                seen[k] = true;
                count[k]++;
                best = count[k] > best ? count[k] : best;
            }
        }
    }
    return best;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b; /* a <= 10^9 x 10^6 in practice; b > 0 */
}

static void check_programs(const struct jf_rules *r, struct jf_rules_check *c)
{
    const bool on[JF_CP_COUNT] = {r->points.enabled,     r->contribution.enabled,
                                  r->signin.enabled,     r->release.enabled,
                                  r->ad.enabled,         r->growth.enabled,
                                  r->agents.enabled,     r->commission.enabled,
                                  r->tokens.enabled};
    const uint32_t creates[JF_CP_COUNT] = {
        BIT(JF_POINTS),
        BIT(JF_CONTRIBUTION) | BIT(JF_REDPACKET) | BIT(JF_VOUCHER),
        BIT(r->signin.asset),
        BIT(JF_LOCKED) | BIT(JF_POINTS),
        BIT(JF_AD_POINTS) | BIT(JF_CASH),
        BIT(JF_GROWTH) | BIT(JF_CASH),
        BIT(JF_CASH),
        BIT(JF_CASH),
        BIT(JF_TOKEN)};
    for (int i = 0; i < JF_CP_COUNT; i++) {
        struct jf_check_program *p = &c->programs[i];
        p->id = program_names[i].id;
        p->zh = program_names[i].zh;
        p->en = program_names[i].en;
        p->enabled = on[i];
        p->liabilities = creates[i];
        if (on[i]) {
            c->liabilities |= creates[i];
        }
    }
}

static void check_rewards(const struct jf_rules *r, struct jf_rules_check *c)
{
    for (int i = 0; i < JF_CR_COUNT; i++) {
        struct jf_check_reward *w = &c->rewards[i];
        w->id = reward_names[i].id;
        w->path = reward_names[i].path;
        w->zh = reward_names[i].zh;
        w->en = reward_names[i].en;
        w->basis_zh = reward_names[i].basis_zh;
        w->basis_en = reward_names[i].basis_en;
        w->asset = reward_names[i].asset;
    }
    /* the release rewards pay on the static release: nothing without it */
    bool release = r->release.enabled && r->release.daily_rate_ppm > 0;
    set_list(&c->rewards[JF_CR_SHARE], release, &r->release.share);

    struct jf_check_reward *team = &c->rewards[JF_CR_TEAM];
    int nr = r->release.n_ranks;
    if (release && nr > 0) {
        team->reach = JF_REACH_UNLIMITED;
        team->n_rates = nr;
        for (int k = 0; k < nr; k++) {
            team->rates_ppm[k] = r->release.ranks[k].rate_ppm;
        }
        team->total_ppm = r->release.ranks[nr - 1].rate_ppm; /* rates increase */
    }
    struct jf_check_reward *peer = &c->rewards[JF_CR_PEER];
    if (release && nr > 0 && r->release.peer_ppm > 0) {
        peer->reach = JF_REACH_UNLIMITED;
        peer->n_rates = 1;
        peer->rates_ppm[0] = r->release.peer_ppm;
        peer->peer_chances = nr; /* one peer bonus per rank met on the walk */
        peer->total_ppm = r->release.peer_ppm * nr;
    }

    bool contrib = r->contribution.enabled;
    struct jf_check_reward *fc = &c->rewards[JF_CR_FRIEND_CONSUMPTION];
    set_list(fc, contrib && r->contribution.friend_consumption_multiplier_ppm > 0,
             &r->contribution.friend_consumption_rates);
    if (fc->reach != JF_REACH_OFF) {
        fc->multiplier_ppm = r->contribution.friend_consumption_multiplier_ppm;
    }
    set_list(&c->rewards[JF_CR_FRIEND_TASK], contrib, &r->contribution.friend_task);
    set_bonus(&c->rewards[JF_CR_FRIEND_FIRST_REACH], contrib, r->contribution.friend_first_reach);
    if (c->rewards[JF_CR_FRIEND_FIRST_REACH].reach != JF_REACH_OFF) {
        c->rewards[JF_CR_FRIEND_FIRST_REACH].threshold = r->contribution.first_reach_threshold;
    }
    set_bonus(&c->rewards[JF_CR_FRIEND_FIRST_PURCHASE], contrib,
              r->contribution.friend_first_purchase);

    bool ad = r->ad.enabled && (r->ad.rate_ppm > 0 || r->ad.min_release > 0);
    set_list(&c->rewards[JF_CR_AD_REFERRAL], ad, &r->ad.referral);
    set_list(&c->rewards[JF_CR_COMMISSION], r->commission.enabled, &r->commission.rates);

    struct jf_check_reward *ag = &c->rewards[JF_CR_AGENTS];
    if (r->agents.enabled) {
        int areas = areas_per_province_max(r);
        ag->areas = areas;
        ag->n_rates = 4;
        memcpy(ag->rates_ppm, r->agents.rate_ppm, sizeof r->agents.rate_ppm);
        ag->total_ppm = r->agents.rate_ppm[0] * areas + r->agents.rate_ppm[1] +
                        r->agents.rate_ppm[2] + r->agents.rate_ppm[3];
        ag->reach = ag->total_ppm > 0 ? JF_REACH_REGION : JF_REACH_OFF;
    }
    if (ag->reach == JF_REACH_OFF) {
        ag->n_rates = 0;
        ag->total_ppm = 0;
    }
}

static void check_depth(const struct jf_rules *r, struct jf_rules_check *c)
{
    c->max_generations = r->compliance.max_generations;
    for (int i = 0; i < JF_CR_COUNT; i++) {
        struct jf_check_reward *w = &c->rewards[i];
        w->deep = w->reach == JF_REACH_UNLIMITED ||
                  (w->reach == JF_REACH_GENERATIONS && w->generations > 2);
        if (w->reach == JF_REACH_UNLIMITED) {
            c->deepest_reach = JF_REACH_UNLIMITED;
        } else if (w->reach == JF_REACH_GENERATIONS && c->deepest_reach != JF_REACH_UNLIMITED &&
                   w->generations > c->deepest_generations) {
            c->deepest_reach = JF_REACH_GENERATIONS;
            c->deepest_generations = w->generations;
        }
        c->exceeds[i] = c->max_generations >= 0 &&
                        (w->reach == JF_REACH_UNLIMITED ||
                         (w->reach == JF_REACH_GENERATIONS && w->generations > c->max_generations));
        c->refused = c->refused || c->exceeds[i];
        c->warn[JF_CW_DEEP] = c->warn[JF_CW_DEEP] || w->deep;
        c->warn[JF_CW_RECRUITING] = c->warn[JF_CW_RECRUITING] || w->recruiting;
    }
    if (c->deepest_reach == JF_REACH_UNLIMITED) {
        c->deepest_generations = 0;
    }
}

static void check_worst(const struct jf_rules *r, struct jf_rules_check *c)
{
    c->release.enabled = r->release.enabled;
    c->release.daily_rate_ppm = r->release.daily_rate_ppm;
    c->release.n_tiers = r->release.n_tiers;
    for (int i = 0; i < r->release.n_tiers; i++) {
        struct jf_check_tier *t = &c->release.tiers[i];
        memcpy(t->name, r->release.tiers[i].name, sizeof t->name);
        t->min = r->release.tiers[i].min;
        t->multiplier_ppm = r->release.tiers[i].multiplier_ppm;
        t->days = r->release.daily_rate_ppm > 0
                      ? ceil_div(t->multiplier_ppm, r->release.daily_rate_ppm)
                      : -1;
    }
    c->release.up_share_ppm = c->rewards[JF_CR_SHARE].total_ppm;
    c->release.up_team_ppm = c->rewards[JF_CR_TEAM].total_ppm;
    c->release.up_peer_ppm = c->rewards[JF_CR_PEER].total_ppm;
    c->release.up_total_ppm =
        c->release.up_share_ppm + c->release.up_team_ppm + c->release.up_peer_ppm;

    c->ad.enabled = r->ad.enabled;
    c->ad.basis = r->ad.basis;
    c->ad.rate_ppm = r->ad.rate_ppm;
    c->ad.min_release = r->ad.min_release;
    c->ad.days = r->ad.basis == JF_AD_ORIGINAL && r->ad.rate_ppm > 0
                     ? ceil_div(JF_PPM, r->ad.rate_ppm)
                     : -1;
    c->ad.cash_per_point_ppm = JF_PPM + c->rewards[JF_CR_AD_REFERRAL].total_ppm;

    c->growth.enabled = r->growth.enabled;
    c->growth.sell_payout_ppm = r->growth.sell_payout_ppm;
    c->growth.pool_keeps_ppm = JF_PPM - r->growth.sell_payout_ppm;
    c->growth.gift_ppm = r->growth.gift_ppm;
    c->growth.cap_multiple_ppm = r->growth.cap_multiple_ppm;
}

void jf_rules_check(const struct jf_rules *r, struct jf_rules_check *out)
{
    memset(out, 0, sizeof *out);
    check_programs(r, out);
    check_rewards(r, out);
    check_depth(r, out);
    check_worst(r, out);
}

/* ---- text ------------------------------------------------------------------------------- */

void jf_check_percent(int64_t ppm, char *buf, size_t n)
{
    const char *sign = ppm < 0 ? "-" : "";
    uint64_t v = ppm < 0 ? (uint64_t)0 - (uint64_t)ppm : (uint64_t)ppm;
    uint64_t whole = v / 10000, frac = v % 10000;
    if (frac == 0) {
        snprintf(buf, n, "%s%llu%%", sign, (unsigned long long)whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof f, "%04llu", (unsigned long long)frac);
    for (int i = 3; i > 0 && f[i] == '0'; i--) {
        f[i] = '\0';
    }
    snprintf(buf, n, "%s%llu.%s%%", sign, (unsigned long long)whole, f);
}

/* Appends printf-style text to buf (of n bytes) at *len, truncating at the end. */
static void append(char *buf, size_t n, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void append(char *buf, size_t n, size_t *len, const char *fmt, ...)
{
    if (*len >= n) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *len, n - *len, fmt, ap);
    va_end(ap);
    if (k > 0) {
        *len += (size_t)k < n - *len ? (size_t)k : n - *len - 1;
    }
}

static void depth_text(const struct jf_check_reward *w, bool zh, char *buf, size_t n)
{
    if (w->reach == JF_REACH_UNLIMITED) {
        snprintf(buf, n, "%s", zh ? "无限代" : "unlimited");
    } else if (zh) {
        snprintf(buf, n, "%d 代", w->generations);
    } else {
        snprintf(buf, n, "%d generation%s", w->generations, w->generations == 1 ? "" : "s");
    }
}

int jf_rules_check_limit(const struct jf_rules_check *c, struct jf_err *err)
{
    if (!c->refused) {
        return JF_OK;
    }
    /* every offender with its depth; in short form when that does not fit a message */
    char msg[JF_ERR_MSG_MAX * 2];
    for (int pass = 0; pass < 2; pass++) {
        size_t len = 0;
        append(msg, sizeof msg, &len, "these rewards reach deeper than %d generation%s: ",
               (int)c->max_generations, c->max_generations == 1 ? "" : "s");
        bool first = true;
        for (int i = 0; i < JF_CR_COUNT; i++) {
            if (!c->exceeds[i]) {
                continue;
            }
            const struct jf_check_reward *w = &c->rewards[i];
            char d[32];
            if (pass == 0) {
                depth_text(w, false, d, sizeof d);
            } else if (w->reach == JF_REACH_UNLIMITED) {
                snprintf(d, sizeof d, "unlimited");
            } else {
                snprintf(d, sizeof d, "%d", w->generations);
            }
            append(msg, sizeof msg, &len, "%s%s (%s)", first ? "" : ", ", w->path, d);
            first = false;
        }
        if (len < JF_ERR_MSG_MAX) {
            break;
        }
    }
    return jf_err_set(err, JF_E_REFUSED, "compliance.max_generations", "%s", msg);
}

const char *jf_check_warning_code(int w)
{
    return w == JF_CW_DEEP ? "beyond_two_generations" : "recruiting";
}

const char *jf_check_warning_title(int w, bool zh)
{
    if (w == JF_CW_DEEP) {
        return zh ? "超过两代计酬（团队计酬）" : "Pay beyond two generations (team-based pay)";
    }
    return zh ? "拉人头计酬" : "Pay for recruiting";
}

/* The rewards of warning `w`, each with its path and depth or amount, joined. */
static void warning_list(const struct jf_rules_check *c, int w, bool zh, char *buf, size_t n)
{
    size_t len = 0;
    buf[0] = '\0';
    bool first = true;
    for (int i = 0; i < JF_CR_COUNT; i++) {
        const struct jf_check_reward *r = &c->rewards[i];
        if ((w == JF_CW_DEEP && !r->deep) || (w == JF_CW_RECRUITING && !r->recruiting)) {
            continue;
        }
        const char *sep = first ? "" : zh ? "、" : ", ";
        first = false;
        char d[32], a[32], t[32];
        if (w == JF_CW_DEEP) {
            depth_text(r, zh, d, sizeof d);
            append(buf, n, &len, zh ? "%s%s（%s，%s）" : "%s%s (%s, %s)", sep, zh ? r->zh : r->en,
                   r->path, d);
            continue;
        }
        jf_amount_format(r->amount, a, sizeof a);
        jf_amount_format(r->threshold, t, sizeof t);
        if (i == JF_CR_FRIEND_FIRST_REACH) {
            append(buf, n, &len,
                   zh ? "%s%s（%s：被推荐人的贡献值首次达到 %s，推荐人得 %s 贡献值）"
                      : "%s%s (%s: %s contribution to the referrer when a recruit first reaches "
                        "%s)",
                   sep, zh ? r->zh : r->en, r->path, zh ? t : a, zh ? a : t);
        } else {
            append(buf, n, &len,
                   zh ? "%s%s（%s：被推荐人首次购买，推荐人得 %s 贡献值）"
                      : "%s%s (%s: %s contribution to the referrer on a recruit's first "
                        "purchase)",
                   sep, zh ? r->zh : r->en, r->path, a);
        }
    }
}

void jf_check_warning_text(const struct jf_rules_check *c, int w, bool zh, char *buf, size_t n)
{
    char list[1536];
    warning_list(c, w, zh, list, sizeof list);
    if (w == JF_CW_DEEP && zh) {
        snprintf(buf, n,
                 "以下奖励按下线的业绩或活动向上计酬，超过两代：%s。在中国大陆，以下线的销售业绩"
                 "为依据计算和给付上线报酬（团队计酬）属于《禁止传销条例》第七条第（三）项所列的"
                 "传销行为；组织、领导传销活动可依《刑法》第二百二十四条之一追究刑事责任（传销组织"
                 "层级三级以上、人员三十人以上即应追究）。jifen 只按规则计算：上线前请务必咨询律师。",
                 list);
    } else if (w == JF_CW_DEEP) {
        snprintf(buf, n,
                 "These rewards pay uplines on their downlines' activity beyond two generations: "
                 "%s. In mainland China, paying uplines by the sales of their downlines (团队计酬, "
                 "team-based pay) is pyramid selling under art. 7(3) of the Regulations on "
                 "Prohibition of Pyramid Selling (《禁止传销条例》), and organising or leading it "
                 "can be prosecuted under art. 224-1 of the Criminal Law (刑法; from three levels "
                 "and thirty participants). jifen computes what the rules say: take legal advice "
                 "before launching.",
                 list);
    } else if (zh) {
        snprintf(buf, n,
                 "以下奖励与发展人员挂钩（拉人头）：%s。以发展人员的数量作为计酬或者返利依据属于"
                 "《禁止传销条例》第七条第（一）项所列的传销行为；组织、领导传销活动可依《刑法》"
                 "第二百二十四条之一追究刑事责任。jifen 只按规则计算：上线前请务必咨询律师。",
                 list);
    } else {
        snprintf(buf, n,
                 "These rewards pay a member for recruiting: %s. Paying by the number of people "
                 "recruited (拉人头) is pyramid selling under art. 7(1) of the Regulations on "
                 "Prohibition of Pyramid Selling (《禁止传销条例》), and organising or leading it "
                 "can be prosecuted under art. 224-1 of the Criminal Law (刑法). jifen computes "
                 "what the rules say: take legal advice before launching.",
                 list);
    }
}

/* ---- JSON ------------------------------------------------------------------------------- */

static const char *reach_name(enum jf_reach r)
{
    static const char *const names[] = {"off", "generations", "unlimited", "region"};
    return names[r];
}

static json_t *assets_json(uint32_t bits)
{
    json_t *a = json_array();
    for (int i = 0; i < JF_ASSET_COUNT; i++) {
        if (bits & BIT(i)) {
            json_array_append_new(a, json_string(jf_asset_name(i)));
        }
    }
    return a;
}

static json_t *ppm_or_null(int64_t v, bool has)
{
    return has ? json_integer(v) : json_null();
}

static json_t *reward_json(const struct jf_rules_check *c, int i)
{
    const struct jf_check_reward *w = &c->rewards[i];
    json_t *rates = json_array();
    for (int k = 0; k < w->n_rates; k++) {
        json_array_append_new(rates, json_integer(w->rates_ppm[k]));
    }
    bool on = w->reach != JF_REACH_OFF;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:b,s:s,s:o,s:s,s:o}", "id", w->id, "path",
                          w->path, "name_zh", w->zh, "name_en", w->en, "basis_zh", w->basis_zh,
                          "basis_en", w->basis_en, "enabled", on, "reach", reach_name(w->reach),
                          "generations",
                          w->reach == JF_REACH_GENERATIONS ? json_integer(w->generations)
                                                           : json_null(),
                          "asset", jf_asset_name(w->asset), "rates_ppm", rates);
    json_object_set_new(o, "total_ppm", ppm_or_null(w->total_ppm, on && w->total_ppm >= 0));
    json_object_set_new(o, "amount", ppm_or_null(w->amount, on && w->total_ppm < 0));
    json_object_set_new(o, "multiplier_ppm", ppm_or_null(w->multiplier_ppm, w->multiplier_ppm > 0));
    json_object_set_new(o, "threshold", ppm_or_null(w->threshold, w->threshold > 0));
    json_object_set_new(o, "peer_chances", ppm_or_null(w->peer_chances, w->peer_chances > 0));
    json_object_set_new(o, "area_agents", ppm_or_null(w->areas, w->reach == JF_REACH_REGION));
    json_object_set_new(o, "recruiting", json_boolean(w->recruiting));
    json_object_set_new(o, "beyond_two_generations", json_boolean(w->deep));
    json_object_set_new(o, "exceeds_max_generations", json_boolean(c->exceeds[i]));
    return o;
}

static json_t *worst_json(const struct jf_rules_check *c)
{
    json_t *tiers = json_array();
    for (int i = 0; i < c->release.n_tiers; i++) {
        const struct jf_check_tier *t = &c->release.tiers[i];
        json_array_append_new(tiers, json_pack("{s:s,s:I,s:I,s:o}", "name", t->name, "min",
                                               (json_int_t)t->min, "multiplier_ppm",
                                               (json_int_t)t->multiplier_ppm, "days_to_exit",
                                               ppm_or_null(t->days, t->days >= 0)));
    }
    json_t *release = json_pack(
        "{s:b,s:I,s:o,s:{s:I,s:I,s:I,s:I}}", "enabled", c->release.enabled, "daily_rate_ppm",
        (json_int_t)c->release.daily_rate_ppm, "tiers", tiers, "paid_upward", "share_ppm",
        (json_int_t)c->release.up_share_ppm, "team_ppm", (json_int_t)c->release.up_team_ppm,
        "peer_ppm", (json_int_t)c->release.up_peer_ppm, "total_ppm",
        (json_int_t)c->release.up_total_ppm);
    json_t *ad = json_pack("{s:b,s:s,s:I,s:I,s:o,s:I}", "enabled", c->ad.enabled, "basis",
                           c->ad.basis == JF_AD_ORIGINAL ? "original" : "balance", "rate_ppm",
                           (json_int_t)c->ad.rate_ppm, "min_release",
                           (json_int_t)c->ad.min_release, "days_to_exit",
                           ppm_or_null(c->ad.days, c->ad.days >= 0), "cash_per_point_ppm",
                           (json_int_t)c->ad.cash_per_point_ppm);
    json_t *growth = json_pack("{s:b,s:I,s:I,s:I,s:I}", "enabled", c->growth.enabled,
                               "sell_payout_ppm", (json_int_t)c->growth.sell_payout_ppm,
                               "pool_keeps_ppm", (json_int_t)c->growth.pool_keeps_ppm, "gift_ppm",
                               (json_int_t)c->growth.gift_ppm, "cap_multiple_ppm",
                               (json_int_t)c->growth.cap_multiple_ppm);
    return json_pack("{s:o,s:o,s:o}", "release", release, "ad", ad, "growth", growth);
}

json_t *jf_rules_check_json(const struct jf_rules_check *c)
{
    json_t *programs = json_array();
    for (int i = 0; i < JF_CP_COUNT; i++) {
        const struct jf_check_program *p = &c->programs[i];
        json_array_append_new(programs,
                              json_pack("{s:s,s:s,s:s,s:b,s:o}", "id", p->id, "name_zh", p->zh,
                                        "name_en", p->en, "enabled", p->enabled, "liabilities",
                                        assets_json(p->liabilities)));
    }
    json_t *rewards = json_array();
    json_t *refused = json_array();
    for (int i = 0; i < JF_CR_COUNT; i++) {
        json_array_append_new(rewards, reward_json(c, i));
        if (c->exceeds[i]) {
            json_array_append_new(refused, json_string(c->rewards[i].path));
        }
    }
    json_t *compliance = json_pack(
        "{s:o,s:s,s:o,s:o}", "max_generations",
        ppm_or_null(c->max_generations, c->max_generations >= 0), "deepest_reach",
        reach_name(c->deepest_reach), "deepest_generations",
        ppm_or_null(c->deepest_generations, c->deepest_reach == JF_REACH_GENERATIONS),
        "refused", refused);
    json_t *warnings = json_array();
    for (int w = 0; w < JF_CW_COUNT; w++) {
        if (!c->warn[w]) {
            continue;
        }
        json_t *ids = json_array();
        for (int i = 0; i < JF_CR_COUNT; i++) {
            const struct jf_check_reward *r = &c->rewards[i];
            if ((w == JF_CW_DEEP && r->deep) || (w == JF_CW_RECRUITING && r->recruiting)) {
                json_array_append_new(ids, json_string(r->path));
            }
        }
        char zh[2048], en[2048];
        jf_check_warning_text(c, w, true, zh, sizeof zh);
        jf_check_warning_text(c, w, false, en, sizeof en);
        json_array_append_new(warnings,
                              json_pack("{s:s,s:s,s:s,s:o,s:s,s:s}", "code",
                                        jf_check_warning_code(w), "title_zh",
                                        jf_check_warning_title(w, true), "title_en",
                                        jf_check_warning_title(w, false), "rewards", ids, "zh", zh,
                                        "en", en));
    }
    return json_pack("{s:o,s:o,s:o,s:o,s:o,s:o}", "programs", programs, "rewards", rewards,
                     "liabilities", assets_json(c->liabilities), "worst_cases", worst_json(c),
                     "compliance", compliance, "warnings", warnings);
}

void jf_rules_check_warn(FILE *f, const char *who, const struct jf_rules_check *c)
{
    int n = 0;
    for (int w = 0; w < JF_CW_COUNT; w++) {
        n += c->warn[w];
    }
    fprintf(f, "%s: rules check: %d warning%s%s\n", who, n, n == 1 ? "" : "s",
            n ? " (`jifen rules check` prints the whole report)" : "");
    for (int w = 0; w < JF_CW_COUNT; w++) {
        if (!c->warn[w]) {
            continue;
        }
        char text[2048];
        jf_check_warning_text(c, w, true, text, sizeof text);
        fprintf(f, "%s: warning %s: %s\n", who, jf_check_warning_code(w), text);
        jf_check_warning_text(c, w, false, text, sizeof text);
        fprintf(f, "%s: warning %s: %s\n", who, jf_check_warning_code(w), text);
    }
    fflush(f);
}
