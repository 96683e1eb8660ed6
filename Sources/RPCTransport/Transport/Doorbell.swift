import Glibc

/// Wakes one sleeping thread: ``ring()`` leaves a mark that the next (or current) ``wait()``
/// consumes, so a ring that comes before the wait is not lost. Waiters re-check their own state
/// after waking; the doorbell carries no information of its own.
///
/// Why a POSIX semaphore rather than a mutex and condition variable: glibc's semaphore is one
/// futex word, so a ring costs one atomic add (plus one futex wake only when a thread sleeps on
/// it) and a wait one atomic decrement (plus one futex wait only when no mark is there). A
/// condition variable cost three futex calls per ring that woke someone (the wake, the wait, and
/// the woken thread taking the mutex back while the ringer still held it): the client's reader
/// thread is rung up to once per call (docs/performance/HISTORY.md, "clientbell").
///
/// A semaphore counts where a doorbell only marks: rings that came while nobody waited leave a
/// count above one, which the next ``wait()`` drains, so a later wait still sleeps.
package final class Doorbell: @unchecked Sendable {
    // Safe: `semaphore` is only touched through sem_post/sem_wait/sem_trywait, which are
    // thread-safe by POSIX; it is allocated in init and freed in deinit, when no thread uses it.
    private let semaphore: UnsafeMutablePointer<sem_t>

    package init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Leaves the mark (the release of the ringer's writes before it goes with it: a waiter that
    /// consumes the mark sees them). Past SEM_VALUE_MAX sem_post fails with EOVERFLOW: a mark is
    /// there already, nothing is lost.
    package func ring() {
        sem_post(semaphore)
    }

    /// Sleeps until a mark is there, then takes it, and any further ones left by earlier rings.
    package func wait() {
        while sem_wait(semaphore) != 0 {}   // only EINTR: a signal handler ran; wait again
        while sem_trywait(semaphore) == 0 {}
    }
}
