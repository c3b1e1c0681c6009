/*
 * limits.h — every bound on outside input and on sizes, in one place, each with its reason.
 *
 * Nothing that comes from outside (a scenario line, an API body, a rules file) is processed
 * without a bound. Changing a bound here changes it everywhere.
 */
#ifndef JF_LIMITS_H
#define JF_LIMITS_H

/* Largest amount (in minor units) accepted in any single input field: 10^15 minor units is
 * 10 trillion yuan, far above any real order, and leaves 9,000x headroom below INT64_MAX so
 * that sums of many such amounts are still checked rather than wrapping. */
#define JF_AMOUNT_INPUT_MAX 1000000000000000LL

/* Largest rate, in parts per million: 1,000,000x. Multipliers in the rules are at most a few
 * units and percentages at most 100%; this only guards the 128-bit products. */
#define JF_RATE_PPM_MAX 1000000000000LL

/* Digits accepted in the integer part of a decimal string (rates and prices). */
#define JF_DECIMAL_INT_DIGITS_MAX 12

/* External ids (member, order, product, request names): short, printable, no spaces. */
#define JF_EXT_ID_MAX 64

/* Free text (product names, adjustment reasons, region codes). */
#define JF_TEXT_MAX 200

/* Items in one order, and quantity of one item. */
#define JF_ORDER_ITEMS_MAX 100
#define JF_ORDER_QTY_MAX 100000

/* One replay line, in bytes: an order of JF_ORDER_ITEMS_MAX items fits easily. */
#define JF_REPLAY_LINE_MAX (64 * 1024)

/* A rules document, in bytes, and its nesting depth. */
#define JF_RULES_BYTES_MAX (256 * 1024)
#define JF_JSON_DEPTH_MAX 16

/* Lists inside the rules: tiers, ranks, generation rates, streak days, areas. */
#define JF_RULES_TIERS_MAX 16
#define JF_RULES_RANKS_MAX 16
#define JF_RULES_GENERATIONS_MAX 16
#define JF_RULES_STREAK_MAX 366
#define JF_RULES_AREAS_MAX 64
#define JF_RULES_AREA_PROVINCES_MAX 64
#define JF_RULES_NAME_MAX 32

/* Refund window in days, and the span of days one `settle` call may cover. */
#define JF_REFUND_WINDOW_DAYS_MAX 3650
#define JF_SETTLE_SPAN_DAYS_MAX 3660

/* Years accepted in dates: the business is not older than 2000 nor planned beyond 2199. */
#define JF_YEAR_MIN 2000
#define JF_YEAR_MAX 2199

#endif
