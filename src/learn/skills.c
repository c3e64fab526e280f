/* The skill registry (learn.h): the nine module tables of gen.h strung together
 * in curriculum order, and the life cycle of a generated problem. */
#include "learn/gen.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>

/* Curriculum order: the modules' `order` in lessons/README.md. */
static const lm_skill_def *const module_tables[] = {
    lm_skills_linalg_basics, lm_skills_prob_basics, lm_skills_calc_basics,
    lm_skills_linalg,        lm_skills_stats,       lm_skills_multicalc,
    lm_skills_optim,         lm_skills_advstats,    lm_skills_info,
};
#define NMODULES (sizeof module_tables / sizeof module_tables[0])

/* Room for every skill of every table; the tables are small (a handful each). */
#define MAX_SKILLS 128
static lm_skill_def all_skills[MAX_SKILLS + 1];
static size_t nall = 0;
static pthread_once_t built = PTHREAD_ONCE_INIT;

static void build_once(void) {
    for (size_t m = 0; m < NMODULES; m++)
        for (const lm_skill_def *d = module_tables[m]; d->id && nall < MAX_SKILLS; d++) all_skills[nall++] = *d;
}

/* The tables are constant, so the flattened list is built once; the web
 * server's threads may ask first at the same time. */
static void build(void) { pthread_once(&built, build_once); }

const lm_skill_def *lm_skill_defs(size_t *n) {
    build();
    *n = nall;
    return all_skills;
}

const lm_skill_def *lm_skill_find(const char *id) {
    build();
    if (!id) return NULL;
    for (size_t i = 0; i < nall; i++)
        if (!strcmp(all_skills[i].id, id)) return &all_skills[i];
    return NULL;
}

const char *lm_skill_suggest(const char *id) {
    size_t n;
    const lm_skill_def *defs = lm_skill_defs(&n);
    const char *best = NULL;
    size_t limit = strlen(id) / 3 + 2, best_d = SIZE_MAX; /* farther than limit is another word */
    for (size_t i = 0; i < n; i++) {
        size_t d = lm_edit_distance(id, defs[i].id);
        const char *own = strchr(defs[i].id, '/');
        if (!strchr(id, '/') && own) { /* "chain-rul" for calc-basics/chain-rule */
            size_t ds = lm_edit_distance(id, own + 1);
            if (ds < d) d = ds;
        }
        if (d <= limit && d < best_d) {
            best = defs[i].id;
            best_d = d;
        }
    }
    return best;
}

lm_status lm_skill_unknown(lm_err *err, const char *id) {
    const char *near = lm_skill_suggest(id);
    if (near)
        return lm_err_set(err, LM_ERR_NAME,
                          "there is no skill called '%s'; did you mean '%s'? `lemma practice --list` shows them all", id,
                          near);
    return lm_err_set(err, LM_ERR_NAME, "there is no skill called '%s'; `lemma practice --list` shows them all", id);
}

bool lm_problem_generate(const char *skill, uint64_t seed, int difficulty, lm_problem *p, lm_err *err) {
    memset(p, 0, sizeof *p);
    const lm_skill_def *d = lm_skill_find(skill);
    if (!d) {
        lm_skill_unknown(err, skill ? skill : "");
        return false;
    }
    if (difficulty < 1 || difficulty > 3) {
        lm_err_set(err, LM_ERR_DOMAIN, "the difficulty must be 1, 2 or 3, not %d", difficulty);
        return false;
    }
    p->skill = d->id;
    p->seed = seed;
    p->difficulty = difficulty;
    if (d->generate(p, seed, difficulty, err)) return true;
    lm_problem_free(p);
    if (err->kind == LM_OK) lm_err_set(err, LM_ERR_INTERNAL, "the generator for '%s' failed", d->id);
    return false;
}

void lm_problem_free(lm_problem *p) {
    if (!p) return;
    lm_free(p->prompt);
    lm_free(p->spec.answer);
    lm_free(p->spec.vars);
    lm_free(p->spec.domain);
    for (int i = 0; i < p->spec.nchoices; i++) lm_free(p->spec.choices[i]);
    for (int i = 0; i < p->spec.nmis; i++) {
        lm_free(p->spec.mis[i].answer);
        lm_free(p->spec.mis[i].feedback);
    }
    for (int i = 0; i < p->nhints; i++) lm_free(p->hints[i]);
    for (int i = 0; i < p->nsteps; i++) {
        lm_free(p->steps[i].text);
        lm_free(p->steps[i].latex);
    }
    lm_free(p->steps);
    const char *skill = p->skill;
    uint64_t seed = p->seed;
    int difficulty = p->difficulty;
    memset(p, 0, sizeof *p);
    /* Keep what identifies the problem: a caller may still report it. */
    p->skill = skill;
    p->seed = seed;
    p->difficulty = difficulty;
}
