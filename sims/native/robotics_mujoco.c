// Thin C shim over Debian's libmujoco 2.2.2, compiled against the installed headers so that no
// struct layout is ever guessed on the managed side. Every call that can reach mju_error runs under
// setjmp: MuJoCo's error handler must not return, so ours longjmps back here and the error text is
// handed to the caller instead of MuJoCo calling exit() on the whole process.
#define _GNU_SOURCE
#include <mujoco/mujoco.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RM_EXPORT __attribute__((visibility("default")))
#define RM_MSG 1024

// MuJoCo 2.2's XML compiler swaps the process-wide mju_user_error / mju_user_warning for its own
// C++-throwing handlers while it runs and restores them afterwards. Compiling on one thread while
// another steps (or compiles) could leave the wrong handler installed or route a stepping thread's
// error into a C++ throw. So compiles are exclusive (write lock) and every guarded engine call holds
// the read lock: uncontended it costs a few tens of nanoseconds per call. Writer-preferring, so
// workers that step back to back cannot starve a compile.
static pthread_rwlock_t rm_compile_lock = PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;

static __thread jmp_buf* rm_jump = NULL;
static __thread char rm_error[RM_MSG];
static __thread char rm_warning[RM_MSG];
static __thread int rm_warning_count = 0;

static void rm_on_error(const char* msg)
{
    snprintf(rm_error, RM_MSG, "%s", msg ? msg : "unknown MuJoCo error");
    if (rm_jump)
        longjmp(*rm_jump, 1);
    // No guarded call is active on this thread: the safest thing left is to stop loudly.
    fprintf(stderr, "robotics_mujoco: unguarded MuJoCo error: %s\n", rm_error);
    abort();
}

static void rm_on_warning(const char* msg)
{
    snprintf(rm_warning, RM_MSG, "%s", msg ? msg : "unknown MuJoCo warning");
    rm_warning_count++;
}

static void rm_copy_text(char* dst, int len, const char* src)
{
    if (dst && len > 0)
        snprintf(dst, (size_t)len, "%s", src);
}

// Runs BODY with MuJoCo errors turned into a -1 return and the message in (err, errlen).
#define RM_GUARD(err, errlen, BODY)            \
    do {                                       \
        jmp_buf rm_here;                       \
        jmp_buf* rm_prev = rm_jump;            \
        pthread_rwlock_rdlock(&rm_compile_lock); \
        if (setjmp(rm_here) != 0) {            \
            rm_jump = rm_prev;                 \
            pthread_rwlock_unlock(&rm_compile_lock); \
            rm_copy_text(err, errlen, rm_error); \
            return -1;                         \
        }                                      \
        rm_jump = &rm_here;                    \
        BODY;                                  \
        rm_jump = rm_prev;                     \
        pthread_rwlock_unlock(&rm_compile_lock); \
    } while (0)

RM_EXPORT int rm_header_version(void) { return mjVERSION_HEADER; }
RM_EXPORT int rm_library_version(void) { return mj_version(); }

// Installs the handlers; returns 0, or -1 when the loaded library is not the one the shim was built for.
RM_EXPORT int rm_init(char* err, int errlen)
{
    mju_user_error = rm_on_error;
    mju_user_warning = rm_on_warning;
    if (mj_version() != mjVERSION_HEADER) {
        char text[RM_MSG];
        snprintf(text, RM_MSG, "libmujoco reports version %d but the shim was built against headers %d",
                 mj_version(), mjVERSION_HEADER);
        rm_copy_text(err, errlen, text);
        return -1;
    }
    return 0;
}

static mjModel* rm_load_guarded(const char* path, const mjVFS* vfs, char* err, int errlen)
{
    mjModel* m = NULL;
    jmp_buf here;
    jmp_buf* prev = rm_jump;
    pthread_rwlock_wrlock(&rm_compile_lock);
    if (setjmp(here) != 0) {
        rm_jump = prev;
        mju_user_error = rm_on_error;
        mju_user_warning = rm_on_warning;
        pthread_rwlock_unlock(&rm_compile_lock);
        rm_copy_text(err, errlen, rm_error);
        return NULL;
    }
    rm_jump = &here;
    if (err && errlen > 0)
        err[0] = 0;
    m = mj_loadXML(path, vfs, err, errlen);
    rm_jump = prev;
    // The compiler restores what it saved; make sure that is ours whatever happened meanwhile.
    mju_user_error = rm_on_error;
    mju_user_warning = rm_on_warning;
    pthread_rwlock_unlock(&rm_compile_lock);
    return m;
}

RM_EXPORT mjModel* rm_load_xml(const char* path, char* err, int errlen)
{
    return rm_load_guarded(path, NULL, err, errlen);
}

RM_EXPORT mjModel* rm_load_xml_string(const char* xml, char* err, int errlen)
{
    mjVFS* vfs = (mjVFS*)malloc(sizeof(mjVFS));
    if (!vfs) {
        rm_copy_text(err, errlen, "out of memory allocating the MuJoCo virtual file system");
        return NULL;
    }
    mj_defaultVFS(vfs);
    const char* name = "model.xml";
    int size = (int)strlen(xml);
    if (mj_makeEmptyFileVFS(vfs, name, size) != 0) {
        free(vfs);
        rm_copy_text(err, errlen, "could not create the in-memory model file");
        return NULL;
    }
    int index = mj_findFileVFS(vfs, name);
    memcpy(vfs->filedata[index], xml, (size_t)size);
    mjModel* m = rm_load_guarded(name, vfs, err, errlen);
    mj_deleteVFS(vfs);
    free(vfs);
    return m;
}

RM_EXPORT void rm_free_model(mjModel* m) { if (m) mj_deleteModel(m); }

RM_EXPORT mjData* rm_make_data(const mjModel* m, char* err, int errlen)
{
    mjData* d = NULL;
    jmp_buf here;
    jmp_buf* prev = rm_jump;
    pthread_rwlock_rdlock(&rm_compile_lock);
    if (setjmp(here) != 0) {
        rm_jump = prev;
        pthread_rwlock_unlock(&rm_compile_lock);
        rm_copy_text(err, errlen, rm_error);
        return NULL;
    }
    rm_jump = &here;
    d = mj_makeData(m);
    rm_jump = prev;
    pthread_rwlock_unlock(&rm_compile_lock);
    return d;
}

RM_EXPORT void rm_free_data(mjData* d) { if (d) mj_deleteData(d); }

RM_EXPORT int rm_copy_data(const mjModel* m, mjData* dst, const mjData* src, char* err, int errlen)
{
    RM_GUARD(err, errlen, mj_copyData(dst, m, src));
    return 0;
}

RM_EXPORT int rm_reset(const mjModel* m, mjData* d, char* err, int errlen)
{
    RM_GUARD(err, errlen, mj_resetData(m, d));
    return 0;
}

RM_EXPORT int rm_step(const mjModel* m, mjData* d, int n, char* err, int errlen)
{
    RM_GUARD(err, errlen, for (int i = 0; i < n; i++) mj_step(m, d));
    return 0;
}

RM_EXPORT int rm_forward(const mjModel* m, mjData* d, char* err, int errlen)
{
    RM_GUARD(err, errlen, mj_forward(m, d));
    return 0;
}

// Model sizes, in the order of RoboticsMuJoCo.ModelSize on the managed side.
RM_EXPORT void rm_model_sizes(const mjModel* m, int* out)
{
    out[0] = m->nq; out[1] = m->nv; out[2] = m->nu; out[3] = m->na;
    out[4] = m->nbody; out[5] = m->njnt; out[6] = m->ngeom; out[7] = m->nsite;
    out[8] = m->nsensor; out[9] = m->nsensordata;
}

RM_EXPORT double rm_timestep(const mjModel* m) { return m->opt.timestep; }
RM_EXPORT int rm_name2id(const mjModel* m, int type, const char* name) { return mj_name2id(m, type, name); }
RM_EXPORT const char* rm_id2name(const mjModel* m, int type, int id) { return mj_id2name(m, type, id); }
RM_EXPORT int rm_jnt_qposadr(const mjModel* m, int joint) { return m->jnt_qposadr[joint]; }
RM_EXPORT int rm_jnt_dofadr(const mjModel* m, int joint) { return m->jnt_dofadr[joint]; }
RM_EXPORT int rm_geom_bodyid(const mjModel* m, int geom) { return m->geom_bodyid[geom]; }
RM_EXPORT int rm_sensor_adr(const mjModel* m, int sensor) { return m->sensor_adr[sensor]; }
RM_EXPORT int rm_sensor_dim(const mjModel* m, int sensor) { return m->sensor_dim[sensor]; }
RM_EXPORT const mjtNum* rm_actuator_ctrlrange(const mjModel* m) { return m->actuator_ctrlrange; }
RM_EXPORT const mjtByte* rm_actuator_ctrllimited(const mjModel* m) { return m->actuator_ctrllimited; }
RM_EXPORT mjtNum* rm_actuator_gear(const mjModel* m) { return m->actuator_gear; }
RM_EXPORT mjtNum* rm_site_pos(const mjModel* m) { return m->site_pos; }

RM_EXPORT double rm_time(const mjData* d) { return d->time; }
RM_EXPORT void rm_set_time(mjData* d, double t) { d->time = t; }
RM_EXPORT mjtNum* rm_qpos(mjData* d) { return d->qpos; }
RM_EXPORT mjtNum* rm_qvel(mjData* d) { return d->qvel; }
RM_EXPORT mjtNum* rm_qacc(mjData* d) { return d->qacc; }
RM_EXPORT mjtNum* rm_ctrl(mjData* d) { return d->ctrl; }
RM_EXPORT mjtNum* rm_act(mjData* d) { return d->act; }
RM_EXPORT mjtNum* rm_qfrc_applied(mjData* d) { return d->qfrc_applied; }
RM_EXPORT mjtNum* rm_xpos(mjData* d) { return d->xpos; }
RM_EXPORT mjtNum* rm_xquat(mjData* d) { return d->xquat; }
RM_EXPORT mjtNum* rm_site_xpos(mjData* d) { return d->site_xpos; }
RM_EXPORT mjtNum* rm_sensordata(mjData* d) { return d->sensordata; }

RM_EXPORT int rm_ncon(const mjData* d) { return d->ncon; }

// Contact i: geoms into geoms[2], distance into *dist, position into pos[3], normal into normal[3].
RM_EXPORT int rm_contact(const mjData* d, int i, int* geoms, double* dist, double* pos, double* normal)
{
    if (i < 0 || i >= d->ncon)
        return -1;
    const mjContact* c = d->contact + i;
    geoms[0] = c->geom1; geoms[1] = c->geom2;
    *dist = c->dist;
    for (int k = 0; k < 3; k++) { pos[k] = c->pos[k]; normal[k] = c->frame[k]; }
    return 0;
}

// Warning counters (mjtWarning order) and the last warning text seen on this thread.
RM_EXPORT int rm_nwarning(void) { return mjNWARNING; }
RM_EXPORT int rm_warning_number(const mjData* d, int i) { return d->warning[i].number; }

// All warning counters at once (mjNWARNING values), so environments can check them every step in one call.
RM_EXPORT void rm_warning_numbers(const mjData* d, int* out)
{
    for (int i = 0; i < mjNWARNING; i++)
        out[i] = d->warning[i].number;
}
RM_EXPORT int rm_thread_warning_count(void) { return rm_warning_count; }
RM_EXPORT const char* rm_thread_last_warning(void) { return rm_warning; }
