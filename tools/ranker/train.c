/*
 * train.c — trains quoth's candidate-speaker ranker (src/rank.c).
 *
 *   ranker_train [--hold-out WORK]... [--cv] [--l2 L] [--l2-context F] [--iters N]
 *                [-o WEIGHTS] [--inc FILE] LABELED.tsv...
 *
 * Input: tables written by tools/ranker/label.py (work, group, label,
 * reachable, then one column per feature, named in the header). The model
 * is a conditional logit: for each quotation a softmax over its candidate
 * speakers of w . x, fitted by full-batch Adam on the negative log
 * likelihood of the gold candidate plus an L2 penalty. Quotations whose
 * gold speaker is among no candidate cannot teach anything and are left out
 * of training (they count as wrong in every accuracy printed).
 *
 * --cv      leave one work out: for each work, train on the others and
 *           report the held-out work's top-1 accuracy (the figure that
 *           counts); then train on everything.
 * -o FILE   write "feature weight" lines (what --ranker-weights reads).
 * --inc F   write the weights as src/rank_weights.inc.
 *
 * Plain C, no dependencies: `make ranker-weights` builds and runs it.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { MAX_FEATURES = 1024, MAX_WORKS = 256 };

typedef struct {
    int work;
    size_t first, count; /* rows */
    int label;           /* row index within the group, -1 if unreachable */
} group;

typedef struct {
    char *feature[MAX_FEATURES];
    size_t nf;
    char *work[MAX_WORKS];
    size_t nworks;
    /* rows, sparse: row r's nonzero features are idx/val[start[r] .. start[r+1]) */
    size_t *start;
    uint16_t *idx;
    float *val;
    size_t nnz, capnz;
    size_t nrows, caprows;
    group *g;
    size_t ng, capg;
} dataset;

static void die(const char *msg, const char *arg) {
    fprintf(stderr, "ranker_train: %s%s%s\n", msg, arg ? " " : "", arg ? arg : "");
    exit(1);
}

static void *xrealloc(void *p, size_t n) {
    void *q = realloc(p, n);
    if (!q)
        die("out of memory", NULL);
    return q;
}

static int work_id(dataset *d, const char *name) {
    for (size_t i = 0; i < d->nworks; i++)
        if (!strcmp(d->work[i], name))
            return (int)i;
    if (d->nworks == MAX_WORKS)
        die("too many works", NULL);
    d->work[d->nworks] = strdup(name);
    return (int)d->nworks++;
}

static void load(dataset *d, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f)
        die("cannot read", path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    bool header = true;
    long last_group = -1;
    char last_work[256] = "";
    size_t lineno = 0;
    while ((n = getline(&line, &cap, f)) > 0) {
        lineno++;
        if (line[n - 1] == '\n')
            line[--n] = '\0';
        char *save = NULL;
        char *tok = strtok_r(line, "\t", &save);
        if (header) {
            /* work group label reachable f1 f2 ... */
            size_t col = 0, nf = 0;
            char *names[MAX_FEATURES];
            for (; tok; tok = strtok_r(NULL, "\t", &save), col++)
                if (col >= 4) {
                    if (nf == MAX_FEATURES)
                        die("too many features in", path);
                    names[nf++] = tok;
                }
            if (d->nf == 0) {
                for (size_t i = 0; i < nf; i++)
                    d->feature[i] = strdup(names[i]);
                d->nf = nf;
            } else {
                if (nf != d->nf)
                    die("feature columns differ in", path);
                for (size_t i = 0; i < nf; i++)
                    if (strcmp(names[i], d->feature[i]))
                        die("feature columns differ in", path);
            }
            header = false;
            continue;
        }
        char *wname = tok;
        char *gs = strtok_r(NULL, "\t", &save);
        char *ls = strtok_r(NULL, "\t", &save);
        char *rs = strtok_r(NULL, "\t", &save);
        if (!wname || !gs || !ls || !rs)
            die("short line in", path);
        long gid = strtol(gs, NULL, 10);
        if (d->nrows + 1 >= d->caprows) {
            d->caprows = d->caprows ? d->caprows * 2 : 4096;
            d->start = xrealloc(d->start, d->caprows * sizeof *d->start);
        }
        d->start[d->nrows] = d->nnz;
        for (size_t i = 0; i < d->nf; i++) {
            char *v = strtok_r(NULL, "\t", &save);
            if (!v)
                die("missing feature value in", path);
            float x = strtof(v, NULL);
            if (x == 0)
                continue;
            if (d->nnz == d->capnz) {
                d->capnz = d->capnz ? d->capnz * 2 : 65536;
                d->idx = xrealloc(d->idx, d->capnz * sizeof *d->idx);
                d->val = xrealloc(d->val, d->capnz * sizeof *d->val);
            }
            d->idx[d->nnz] = (uint16_t)i;
            d->val[d->nnz++] = x;
        }
        d->start[d->nrows + 1] = d->nnz;
        if (gid != last_group || strcmp(wname, last_work)) {
            if (d->ng == d->capg) {
                d->capg = d->capg ? d->capg * 2 : 1024;
                d->g = xrealloc(d->g, d->capg * sizeof *d->g);
            }
            group *g = &d->g[d->ng++];
            g->work = work_id(d, wname);
            g->first = d->nrows;
            g->count = 0;
            g->label = -1;
            last_group = gid;
            snprintf(last_work, sizeof last_work, "%s", wname);
        }
        group *g = &d->g[d->ng - 1];
        if (atoi(ls) == 1 && g->label < 0)
            g->label = (int)g->count;
        g->count++;
        d->nrows++;
    }
    free(line);
    fclose(f);
}

/* Is group g used for training, given the held-out mask? */
static bool in_train(const group *g, const bool *held) { return g->label >= 0 && !held[g->work]; }

static double dot(const dataset *d, size_t row, const double *w) {
    double s = 0;
    for (size_t j = d->start[row]; j < d->start[row + 1]; j++)
        s += w[d->idx[j]] * d->val[j];
    return s;
}

static size_t argmax(const dataset *d, const group *g, const double *w) {
    size_t best = 0;
    double top = -INFINITY;
    for (size_t i = 0; i < g->count; i++) {
        double s = dot(d, g->first + i, w);
        if (s > top) {
            top = s;
            best = i;
        }
    }
    return best;
}

/* The L2 penalty of feature k: context copies ("prev2@after_narration")
 * are shrunk harder, towards the base feature, so a situation must show a
 * clear difference in the data before it changes a decision. */
static double l2_context = 10.0;

static double penalty(const dataset *d, size_t k, double l2) {
    return strchr(d->feature[k], '@') ? l2 * l2_context : l2;
}

static void train(const dataset *d, const bool *held, double l2, int iters, double *w) {
    size_t nf = d->nf;
    double *grad = calloc(nf, sizeof *grad), *m = calloc(nf, sizeof *m), *v = calloc(nf, sizeof *v);
    double *score = NULL;
    size_t capscore = 0;
    if (!grad || !m || !v)
        die("out of memory", NULL);
    memset(w, 0, nf * sizeof *w);
    size_t ntrain = 0;
    for (size_t gi = 0; gi < d->ng; gi++)
        ntrain += in_train(&d->g[gi], held);
    if (!ntrain)
        die("no training quotations", NULL);
    const double lr = 0.05, b1 = 0.9, b2 = 0.999, eps = 1e-8;
    for (int it = 1; it <= iters; it++) {
        memset(grad, 0, nf * sizeof *grad);
        for (size_t gi = 0; gi < d->ng; gi++) {
            const group *g = &d->g[gi];
            if (!in_train(g, held))
                continue;
            if (g->count > capscore) {
                capscore = g->count * 2;
                score = xrealloc(score, capscore * sizeof *score);
            }
            double top = -INFINITY;
            for (size_t i = 0; i < g->count; i++) {
                double s = dot(d, g->first + i, w);
                score[i] = s;
                if (s > top)
                    top = s;
            }
            double z = 0;
            for (size_t i = 0; i < g->count; i++)
                z += (score[i] = exp(score[i] - top));
            for (size_t i = 0; i < g->count; i++) {
                double p = score[i] / z - (i == (size_t)g->label ? 1.0 : 0.0);
                if (p == 0)
                    continue;
                size_t row = g->first + i;
                for (size_t j = d->start[row]; j < d->start[row + 1]; j++)
                    grad[d->idx[j]] += p * d->val[j];
            }
        }
        for (size_t k = 0; k < nf; k++) {
            double gk = grad[k] / (double)ntrain + penalty(d, k, l2) * w[k];
            m[k] = b1 * m[k] + (1 - b1) * gk;
            v[k] = b2 * v[k] + (1 - b2) * gk * gk;
            double mh = m[k] / (1 - pow(b1, it)), vh = v[k] / (1 - pow(b2, it));
            w[k] -= lr * mh / (sqrt(vh) + eps);
        }
    }
    free(grad);
    free(m);
    free(v);
    free(score);
}

/* Top-1 accuracy over all groups of work wk (or of every work when wk < 0)
 * not held... counted over reachable and unreachable alike. */
static void accuracy(const dataset *d, const double *w, int wk, size_t *right, size_t *total) {
    *right = *total = 0;
    for (size_t gi = 0; gi < d->ng; gi++) {
        const group *g = &d->g[gi];
        if (wk >= 0 && g->work != wk)
            continue;
        (*total)++;
        if (g->label >= 0 && argmax(d, g, w) == (size_t)g->label)
            (*right)++;
    }
}

static void write_weights(const dataset *d, const double *w, const char *path, bool inc, const char *cmd) {
    FILE *f = fopen(path, "w");
    if (!f)
        die("cannot write", path);
    if (inc)
        fprintf(f, "/* Generated by tools/ranker/train.c; do not edit. Regenerate with\n *   make ranker-weights    (tools/ranker/train.sh, which runs: %s)\n */\n", cmd);
    else
        fprintf(f, "# quoth ranker weights (tools/ranker/train.c)\n# %s\n", cmd);
    for (size_t k = 0; k < d->nf; k++) {
        if (fabs(w[k]) < 5e-4)
            continue; /* never seen, or not worth a line */
        if (inc)
            fprintf(f, "{\"%s\", %.6f},\n", d->feature[k], w[k]);
        else
            fprintf(f, "%s %.6f\n", d->feature[k], w[k]);
    }
    if (fclose(f) != 0)
        die("cannot write", path);
}

int main(int argc, char **argv) {
    dataset d = {0};
    const char *out = NULL, *inc = NULL, *held_names[MAX_WORKS];
    size_t nheld = 0;
    bool cv = false;
    double l2 = 3e-4; /* chosen by make ranker-cv among 1e-4, 3e-4, 1e-3, 3e-3 */
    int iters = 400;
    char cmd[1024] = "ranker_train";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strlen(cmd) + strlen(a) + 2 < sizeof cmd && strcmp(a, "-o") && strcmp(a, "--inc") &&
            (i == 1 || (strcmp(argv[i - 1], "-o") && strcmp(argv[i - 1], "--inc")))) {
            strcat(cmd, " ");
            strcat(cmd, a);
        }
        if (!strcmp(a, "--cv"))
            cv = true;
        else if (!strcmp(a, "--hold-out") && i + 1 < argc && nheld < MAX_WORKS)
            held_names[nheld++] = argv[++i];
        else if (!strcmp(a, "--l2") && i + 1 < argc)
            l2 = atof(argv[++i]);
        else if (!strcmp(a, "--l2-context") && i + 1 < argc)
            l2_context = atof(argv[++i]);
        else if (!strcmp(a, "--iters") && i + 1 < argc)
            iters = atoi(argv[++i]);
        else if (!strcmp(a, "-o") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(a, "--inc") && i + 1 < argc)
            inc = argv[++i];
        else if (a[0] == '-')
            die("unknown option (see the comment at the top of tools/ranker/train.c):", a);
        else
            load(&d, a);
    }
    if (!d.ng)
        die("no labeled quotations given", NULL);
    double *w = calloc(d.nf, sizeof *w);
    bool *held = calloc(MAX_WORKS, sizeof *held);
    if (!w || !held)
        die("out of memory", NULL);
    if (cv) {
        size_t r_all = 0, t_all = 0;
        for (size_t wk = 0; wk < d.nworks; wk++) {
            memset(held, 0, MAX_WORKS * sizeof *held);
            held[wk] = true;
            train(&d, held, l2, iters, w);
            size_t r, t;
            accuracy(&d, w, (int)wk, &r, &t);
            printf("%-30s %5zu / %5zu = %.3f (trained without it)\n", d.work[wk], r, t, t ? (double)r / (double)t : 0);
            r_all += r;
            t_all += t;
        }
        printf("%-30s %5zu / %5zu = %.3f (cross-validated by work)\n", "POOLED", r_all, t_all,
               t_all ? (double)r_all / (double)t_all : 0);
    }
    memset(held, 0, MAX_WORKS * sizeof *held);
    for (size_t i = 0; i < nheld; i++)
        for (size_t wk = 0; wk < d.nworks; wk++)
            if (!strcmp(d.work[wk], held_names[i]))
                held[wk] = true;
    train(&d, held, l2, iters, w);
    size_t r, t;
    accuracy(&d, w, -1, &r, &t);
    fprintf(stderr, "ranker_train: %zu quotations, %zu features; top-1 on all (in sample) %.3f\n", d.ng, d.nf,
            t ? (double)r / (double)t : 0);
    if (out)
        write_weights(&d, w, out, false, cmd);
    if (inc)
        write_weights(&d, w, inc, true, cmd);
    if (!out && !inc)
        for (size_t k = 0; k < d.nf; k++)
            printf("%-40s %9.4f\n", d.feature[k], w[k]);
    return 0;
}
