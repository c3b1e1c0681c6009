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

/* An Idempotency-Key, in bytes: room for a UUID or a client's own structured key. It is kept
 * in the store under its caller's scope ("m<member>", "a<admin>", "k" and 16 hex digits of an
 * API key's hash), hence the record's size. */
#define JF_IDEM_KEY_MAX 71
#define JF_IDEM_SCOPE_MAX 24
#define JF_IDEM_RECORD_MAX (JF_IDEM_SCOPE_MAX + 1 + JF_IDEM_KEY_MAX + 1)

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

/* Days in one daily report: a year and a day per HTTP request (an answer of ~1 KiB a day), and
 * ten years per call of the C API and the CLI (rows of ~500 bytes; a simulation's whole run).
 * A report reads the whole ledger once whatever its span. */
#define JF_REPORT_DAYS_MAX 366
#define JF_REPORT_SPAN_DAYS_MAX 3660

/* jifen simulate: members and days of one run. A run keeps its whole store in memory (about
 * 2 KiB a member with a year of history) and settles every day, so a million members over ten
 * years is the most one machine runs in reasonable time; member phone numbers are generated
 * as 139 followed by eight digits, which leaves room for 10^8. The days stay within one call
 * of the daily report (JF_REPORT_SPAN_DAYS_MAX). */
#define JF_SIM_MEMBERS_MAX 1000000
#define JF_SIM_DAYS_MAX 3650
/* A simulation config file (--config), its products and agents, and the chains grown side by
 * side: a catalogue and an agent list of a real shop fit well within these. */
#define JF_SIM_CONFIG_BYTES_MAX (64 * 1024)
#define JF_SIM_PRODUCTS_MAX 64
#define JF_SIM_AGENTS_MAX 64
#define JF_SIM_REGIONS_MAX 64
#define JF_SIM_CHAINS_MAX 1000

/* Outbound HTTP (the SMS provider, the token price feed): a configured URL, and the body of
 * an answer jifen reads. A price feed answers a few dozen bytes; anything beyond 16 KiB is not
 * a price and is refused rather than buffered. A provider's answer is only checked for its
 * status: its body is read and dropped. */
#define JF_URL_MAX 1024
#define JF_FETCH_BODY_MAX (16 * 1024)

/* A decimal price string in a feed's answer: 12 integer digits, a point, 6 decimals, and room
 * for a trailing "%" that the exact parser then judges. */
#define JF_PRICE_TEXT_MAX 40

/* Years accepted in dates: the business is not older than 2000 nor planned beyond 2199. */
#define JF_YEAR_MIN 2000
#define JF_YEAR_MAX 2199

#endif
