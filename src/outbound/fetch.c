/*
 * fetch.c — one outbound HTTP request through libcurl's easy interface (see fetch.h).
 */
#include "fetch.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jf_assert.h"
#include "limits.h"

int jf_fetch_global_init(struct jf_err *err)
{
    CURLcode c = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (c != CURLE_OK) {
        return jf_err_set(err, JF_E_INTERNAL, NULL, "libcurl failed to initialise: %s",
                          curl_easy_strerror(c));
    }
    return JF_OK;
}

void jf_fetch_global_cleanup(void)
{
    curl_global_cleanup();
}

/* The answer as it arrives; `over` is set when it passes the cap. */
struct sink {
    bool keep;
    char *buf;
    size_t len, cap;
    bool over;
};

static size_t on_data(char *data, size_t size, size_t nmemb, void *arg)
{
    struct sink *s = arg;
    size_t n = size * nmemb; /* libcurl guarantees size == 1 */
    if (!s->keep) {
        return n;
    }
    if (n > JF_FETCH_BODY_MAX - s->len) {
        s->over = true;
        return 0; /* aborts the transfer with CURLE_WRITE_ERROR */
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 512;
        while (cap < s->len + n + 1) {
            cap *= 2;
        }
        s->buf = jf_xrealloc(s->buf, cap);
        s->cap = cap;
    }
    memcpy(s->buf + s->len, data, n);
    s->len += n;
    s->buf[s->len] = '\0';
    return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    (void)dltotal;
    (void)dlnow;
    (void)ultotal;
    (void)ulnow;
    const atomic_bool *cancel = arg;
    return cancel != NULL && atomic_load(cancel) ? 1 : 0; /* non-zero abandons the transfer */
}

/* Sets every option of one request; false when libcurl refuses one. */
static bool set_options(CURL *h, const struct jf_fetch_req *q, struct curl_slist *headers,
                        struct sink *s, char *errbuf)
{
    bool post = strcmp(q->method, "POST") == 0;
    bool ok = curl_easy_setopt(h, CURLOPT_URL, q->url) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, q->connect_timeout_ms) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, q->timeout_ms) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_USERAGENT, "jifen") == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_WRITEDATA, s) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)q->cancel) == CURLE_OK &&
              curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf) == CURLE_OK;
    if (ok && q->keep_body) {
        ok = curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)JF_FETCH_BODY_MAX) ==
             CURLE_OK;
    }
    if (ok && post) {
        ok = curl_easy_setopt(h, CURLOPT_POSTFIELDS, q->json) == CURLE_OK &&
             curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(q->json)) ==
                 CURLE_OK;
    } else if (ok) {
        ok = curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) == CURLE_OK;
    }
    return ok;
}

/* The request's headers; NULL when out of memory. */
static struct curl_slist *make_headers(const struct jf_fetch_req *q)
{
    char auth[sizeof "Authorization: Bearer " + JF_BEARER_MAX];
    struct curl_slist *l = curl_slist_append(NULL, "Accept: application/json");
    if (l != NULL && q->json != NULL) {
        l = curl_slist_append(l, "Content-Type: application/json");
    }
    if (l != NULL && q->json != NULL) {
        l = curl_slist_append(l, "Expect:"); /* no 100-continue round trip */
    }
    if (l != NULL && q->bearer != NULL) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", q->bearer);
        l = curl_slist_append(l, auth);
    }
    return l;
}

int jf_fetch(const struct jf_fetch_req *q, struct jf_fetch_res *out, struct jf_err *err)
{
    JF_ASSERT(q->url != NULL && q->shown != NULL && q->method != NULL);
    JF_ASSERT(strcmp(q->method, "GET") == 0 || (strcmp(q->method, "POST") == 0 && q->json));
    JF_ASSERT(q->connect_timeout_ms > 0 && q->timeout_ms > 0);
    JF_ASSERT(q->bearer == NULL || strlen(q->bearer) <= JF_BEARER_MAX);
    memset(out, 0, sizeof *out);
    CURL *h = curl_easy_init();
    struct curl_slist *headers = h ? make_headers(q) : NULL;
    if (h == NULL || headers == NULL) {
        curl_slist_free_all(headers);
        curl_easy_cleanup(h);
        return jf_err_set(err, JF_E_INTERNAL, NULL, "%s '%s': libcurl is out of memory",
                          q->method, q->shown);
    }
    struct sink s = {.keep = q->keep_body};
    char errbuf[CURL_ERROR_SIZE] = "";
    CURLcode c = CURLE_FAILED_INIT;
    if (set_options(h, q, headers, &s, errbuf)) {
        c = curl_easy_perform(h);
    }
    int rc = JF_OK;
    if (s.over || c == CURLE_FILESIZE_EXCEEDED) {
        rc = jf_err_set(err, JF_E_TOO_LARGE, NULL, "%s '%s' failed: the answer is larger than %d "
                        "bytes", q->method, q->shown, JF_FETCH_BODY_MAX);
    } else if (c == CURLE_ABORTED_BY_CALLBACK) {
        rc = jf_err_set(err, JF_E_INTERNAL, NULL, "%s '%s' abandoned: stopping", q->method,
                        q->shown);
    } else if (c != CURLE_OK) {
        rc = jf_err_set(err, JF_E_INTERNAL, NULL, "%s '%s' failed: %s", q->method, q->shown,
                        errbuf[0] ? errbuf : curl_easy_strerror(c));
    } else {
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
        out->body = s.buf ? s.buf : jf_xstrdup("");
        out->len = s.len;
        s.buf = NULL;
    }
    free(s.buf);
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    return rc;
}

void jf_fetch_res_release(struct jf_fetch_res *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* One part of a parsed URL, or NULL (the caller curl_free's it). */
static char *url_part(CURLU *u, CURLUPart part)
{
    char *v = NULL;
    return curl_url_get(u, part, &v, 0) == CURLUE_OK ? v : NULL;
}

int jf_url_check(const char *url, const char *field, char *shown, size_t n, struct jf_err *err)
{
    size_t len = url ? strlen(url) : 0;
    if (len == 0 || len > JF_URL_MAX) {
        return jf_err_set(err, JF_E_INVALID, field, "a URL of 1 to %d bytes is required",
                          JF_URL_MAX);
    }
    CURLU *u = curl_url();
    JF_ASSERT(u != NULL);
    char *scheme = NULL, *host = NULL, *port = NULL, *path = NULL;
    int rc = JF_OK;
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK) {
        rc = jf_err_set(err, JF_E_INVALID, field, "not an absolute URL");
    } else {
        scheme = url_part(u, CURLUPART_SCHEME);
        host = url_part(u, CURLUPART_HOST);
        port = url_part(u, CURLUPART_PORT);
        path = url_part(u, CURLUPART_PATH);
        if (scheme == NULL || (strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0)) {
            rc = jf_err_set(err, JF_E_INVALID, field, "only http:// and https:// URLs");
        } else if (host == NULL || host[0] == '\0') {
            rc = jf_err_set(err, JF_E_INVALID, field, "the URL names no host");
        } else {
            snprintf(shown, n, "%s://%s%s%s%s", scheme, host, port ? ":" : "", port ? port : "",
                     path ? path : "/");
        }
    }
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_free(path);
    curl_url_cleanup(u);
    return rc;
}
