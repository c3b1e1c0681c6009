/*
 * sim.h — jifen simulate: grows a synthetic membership day by day under a rules file and runs
 * the real service on it, as a shop would: every registration, order, completion, sign-in, ad
 * task, wallet action and income record is a service operation (svc.h), and every day ends with
 * the production settlement (jf_svc_settle). The simulator only decides who does what and when
 * (sim_config.h, core/sim_model.h); what each program pays is computed by the service alone, so
 * the outcome is what the same rules would do to a live store.
 *
 * Deterministic: seeded generators (core/rng.h) drive every decision — the referral network
 * one sequence, each member's day a stream of its own (sim.c) —, times are synthetic (each event
 * happens at a set time of its day), and nothing read from the clock reaches the results. The
 * same seed, rules, config, members and days give the same store, byte for byte in every
 * output; and since a member's draws do not depend on the rules, runs of one seed under rules
 * that differ in one program compare member for member.
 *
 * "Recovered their spending" (docs/rules.md): a member has recovered by day k of its membership
 * when, at the end of that day (after its settlement), the value it has received at face value
 * is at least the cash it has paid for its orders; received = every credit to its cash, red
 * packets and points, counted as the balances plus what the simulator's own operations took out
 * of them since (withdrawals, red packets converted to voucher, points paid at checkout, spent
 * in the mall or exchanged), points valued at the rules' points_value. Exact integers.
 */
#ifndef JF_SIM_H
#define JF_SIM_H

#include <stdint.h>

#include "error.h"
#include "sim_config.h"

struct jf_svc;

/* Called after each settled day (may be NULL): day index (0-based) of `days`, members so far. */
typedef void (*jf_sim_progress_fn)(void *arg, int32_t day_index, int32_t days,
                                   int64_t members);

struct jf_sim_params {
    int64_t members;  /* 1 .. JF_SIM_MEMBERS_MAX */
    int32_t days;     /* 1 .. JF_SIM_DAYS_MAX */
    uint64_t seed;
    const struct jf_sim_config *config;
    jf_sim_progress_fn progress;
    void *progress_arg;
};

/* The checkpoints of "recovered by day k". */
#define JF_SIM_CHECKPOINTS 3
extern const int32_t jf_sim_checkpoint_days[JF_SIM_CHECKPOINTS]; /* 30, 90, 365 */

/* What the run did, beside what the store holds. */
struct jf_sim_stats {
    int64_t ops;                  /* service operations that succeeded */
    int64_t refused;              /* operations the service refused (a rule said no) */
    int64_t registrations, orders_placed, orders_completed, signins, ad_tasks, wallet_looks,
        withdrawals, exchanges, sells, mall_orders, incomes, settlements;
    int64_t referred;             /* members who joined with a referrer */
    int64_t referrers;            /* members who referred at least one */
    int64_t max_referrals;        /* the most members one member referred */
    int32_t max_depth;            /* the longest chain of referrals (generations) */
    int64_t reached[JF_SIM_CHECKPOINTS];   /* members who reached day k within the run */
    int64_t recovered[JF_SIM_CHECKPOINTS]; /* of them, those who had recovered by day k */
    int64_t recovered_end;        /* members whose value received >= cash paid at the end */
    int64_t payers;               /* members who paid cash for an order */
    int64_t spent_total;          /* cash paid for orders (fen) */
    /* Where the run's time went, in microseconds of the monotonic clock: the day's events, the
     * settlements, the recovery checks. For the caller's stderr only: no output holds them. */
    int64_t events_us, settle_us, checks_us;
};

/* Runs the simulation on `svc`, a fresh store (no member yet) whose rules are the ones to try.
 * Fills *stats. Fails on an operation the service answers with an error other than a refusal
 * (a refusal is counted and the run goes on), naming the operation and its day. */
int jf_sim_run(struct jf_svc *svc, const struct jf_sim_params *p, struct jf_sim_stats *stats,
               struct jf_err *err);



/* ---- outputs (sim_output.c) ------------------------------------------------------------- */

/* How summary.md names the inputs (file names, not paths, so that the outputs do not depend on
 * where the files lie). NULL: the defaults. */
struct jf_sim_labels {
    const char *rules, *config;
};

/* Writes the run's outputs into the existing directory `dir`, computed from the store by the
 * report code (service/report.h) that `jifen report` and the admin API use:
 *   daily.csv        one row per simulated day, the columns of `jifen report daily --csv`;
 *   summary.md       the headline figures (docs/operations.md defines each);
 *   liabilities.svg, contribution.svg, cash.svg, growth_price.svg, forfeits.svg  the charts.
 * Nothing in them depends on the clock. Errors name the file. */
int jf_sim_write_outputs(struct jf_svc *svc, const struct jf_sim_params *p,
                         const struct jf_sim_stats *st, const struct jf_sim_labels *labels,
                         const char *dir, struct jf_err *err);

#endif
