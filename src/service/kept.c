/*
 * kept.c — the holders' balances kept between settlements (settle_int.h, struct bal_kept):
 * contribution for the dividends, growth with its spending and sales for the growth cap.
 */
#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"
#include "settle_int.h"

void bal_kept_free(struct bal_kept *k)
{
    if (k != NULL) {
        free(k->bal);
        free(k->spent);
        free(k->sold);
        free(k);
    }
}

void bal_kept_drop(struct jf_svc *svc)
{
    for (int i = 0; i < JF_NOTE_LISTS; i++) {
        if (svc->bal_kept[i] != NULL) {
            svc->bal_kept[i]->valid = false;
        }
    }
}

static void grow(int64_t **v, int64_t len, int64_t to)
{
    *v = jf_xrealloc(*v, sizeof **v * (size_t)to);
    memset(*v + len, 0, sizeof **v * (size_t)(to - len));
}

/* One member's state, as the store holds it now. */
static int read_one(struct jf_svc *svc, enum jf_note_list list, struct bal_kept *k,
                    int64_t owner, struct jf_err *err)
{
    int64_t debt, ad;
    int asset = list == JF_NOTE_CONTRIBUTION ? JF_CONTRIBUTION : JF_GROWTH;
    if (st_account_get(svc->db, owner, asset, &k->bal[owner], &debt, err) != JF_OK) {
        return JF_ERR;
    }
    return list == JF_NOTE_GROWTH ? st_member_programs_get(svc->db, owner, &ad,
                                                           &k->spent[owner], &k->sold[owner], err)
                                  : JF_OK;
}

/* Every member's state: the holders' rows (balance > 0), none for the others. */
static int read_all(struct jf_svc *svc, enum jf_note_list list, struct bal_kept *k,
                    struct jf_err *err)
{
    memset(k->bal, 0, sizeof *k->bal * (size_t)k->len);
    int rc;
    if (list == JF_NOTE_CONTRIBUTION) {
        struct jf_stmt *it = st_contrib_holders(svc->db, 1);
        int64_t owner, balance;
        while ((rc = st_contrib_holders_next(it, &owner, &balance, err)) == 1) {
            JF_ASSERT(owner >= 1 && owner < k->len);
            k->bal[owner] = balance;
        }
        return rc == 0 ? JF_OK : JF_ERR;
    }
    size_t n;
    struct st_growth_holder *h = st_growth_holders_collect(svc->db, &n, &rc, err);
    for (size_t i = 0; i < n && rc == JF_OK; i++) {
        JF_ASSERT(h[i].member >= 1 && h[i].member < k->len);
        k->bal[h[i].member] = h[i].holding;
        k->spent[h[i].member] = h[i].spent;
        k->sold[h[i].member] = h[i].sold;
    }
    free(h);
    return rc;
}

const struct bal_kept *bal_kept_get(struct jf_svc *svc, enum jf_note_list list,
                                    struct jf_err *err)
{
    if (svc->bal_kept[list] == NULL) {
        svc->bal_kept[list] = jf_xcalloc(1, sizeof *svc->bal_kept[list]);
    }
    struct bal_kept *k = svc->bal_kept[list];
    int64_t n = st_member_count(svc->db, err), version;
    if (n < 0 || st_data_version(svc->db, &version, err) != JF_OK) {
        return NULL;
    }
    size_t m;
    int64_t *noted = jf_db_owners_take(svc->db, list, &m); /* a later write is noted anew */
    bool some = k->valid && k->version == version;
    k->valid = false; /* until read */
    if (n + 1 > k->len) {
        grow(&k->bal, k->len, n + 1);
        grow(&k->spent, k->len, n + 1);
        grow(&k->sold, k->len, n + 1);
        k->len = n + 1;
    }
    int rc = JF_OK;
    if (some) {
        for (size_t i = 0; i < m && rc == JF_OK; i++) {
            /* a member noted by a command rolled back with the member's registration does not
             * exist: its slot, when it comes, starts empty */
            rc = noted[i] <= n ? read_one(svc, list, k, noted[i], err) : JF_OK;
        }
    } else {
        rc = read_all(svc, list, k, err);
    }
    free(noted);
    if (rc != JF_OK) {
        return NULL;
    }
    k->version = version;
    k->valid = true;
    return k;
}

/* The members whose kept state differs from the store's without being noted. */
static int check_list(struct jf_svc *svc, enum jf_note_list list, struct jf_err *err)
{
    const struct bal_kept *k = svc->bal_kept[list];
    if (k == NULL || !k->valid) {
        return 0;
    }
    struct bal_kept now = {.len = k->len};
    grow(&now.bal, 0, k->len);
    grow(&now.spent, 0, k->len);
    grow(&now.sold, 0, k->len);
    int bad = 0;
    for (int64_t owner = 1; owner < k->len && bad >= 0; owner++) {
        if (read_one(svc, list, &now, owner, err) != JF_OK) {
            bad = JF_ERR;
            break;
        }
        int64_t have = now.bal[owner] > 0 ? now.bal[owner] : 0;
        bool same = k->bal[owner] == have &&
                    (list == JF_NOTE_CONTRIBUTION || have == 0 ||
                     (k->spent[owner] == now.spent[owner] && k->sold[owner] == now.sold[owner]));
        bad += !same && !jf_db_owner_noted(svc->db, list, owner);
    }
    free(now.bal);
    free(now.spent);
    free(now.sold);
    return bad;
}

int jf_svc_contrib_kept_check(struct jf_svc *svc, struct jf_err *err)
{
    int a = check_list(svc, JF_NOTE_CONTRIBUTION, err);
    int b = a < 0 ? a : check_list(svc, JF_NOTE_GROWTH, err);
    return b < 0 ? b : a + b;
}
