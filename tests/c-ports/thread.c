/* The notes' threading.Thread program: a LoopThread counts to 5, the main thread joins it. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double scale(void) {
    const char *s = getenv("MULTITASK_TIME_SCALE");
    return s ? atof(s) : 1.0;
}

static void sleep_seconds(double s) {
    struct timespec ts = {(time_t)s, (long)((s - (time_t)s) * 1e9)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static void *loop(void *arg) {
    const char *name = arg;
    printf("thread %s is running...\n", name);
    fflush(stdout);
    for (int n = 1; n <= 5; n++) {
        printf("thread %s >>> %d\n", name, n);
        fflush(stdout);
        sleep_seconds(1 * scale());
    }
    printf("thread %s ended.\n", name);
    fflush(stdout);
    return NULL;
}

int main(void) {
    printf("thread %s is running...\n", "MainThread");
    fflush(stdout);
    pthread_t t;
    if (pthread_create(&t, NULL, loop, "LoopThread") != 0) {
        perror("pthread_create");
        return 1;
    }
    pthread_join(t, NULL);
    printf("thread %s ended.\n", "MainThread");
    fflush(stdout);
    return 0;
}
