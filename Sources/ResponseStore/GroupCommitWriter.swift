import SQLKit
import Synchronization

/// SQLite's single writer, with group commit: transactions that arrive while one is being
/// written are run together in the next database transaction, each inside its own savepoint,
/// and all are acknowledged by one COMMIT.
///
/// Why: every commit writes the touched pages of the ticket table, its indexes, the event log and
/// the full-text index to the WAL. Under concurrent intake most of those pages are shared, so one
/// commit for eight tickets costs little more than one for one. A failing transaction rolls back
/// to its savepoint and changes nothing; the others in the batch still commit. No caller is
/// answered before the COMMIT that makes its writes durable.
final class GroupCommitWriter: Sendable {
    /// One caller's transaction, type-erased.
    struct Job: Sendable {
        /// Runs the body; returns its error, if any (the result is kept by the closure).
        let run: @Sendable (any SQLDatabase) async -> (any Error)?
        /// Delivers the outcome once the batch has committed (or failed to).
        let finish: @Sendable ((any Error)?) -> Void
    }

    /// What the writer loop runs: a caller's transaction, or maintenance that must run on the
    /// writer connection outside any transaction (completing a WAL checkpoint).
    enum Work: Sendable {
        case transaction(Job)
        case outsideTransaction(@Sendable (any SQLDatabase) async -> Void)
    }

    private let queue: BatchQueue<Work>
    private let database: any SQLDatabase

    init(database: any SQLDatabase, maxBatch: Int = 64) {
        self.database = database
        self.queue = BatchQueue(maxBatch: maxBatch)
    }

    /// Runs `body` in a transaction on the writer connection and returns its result once committed.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let box = Mutex<R?>(nil)
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<R, any Error>) in
            let job = Job(
                run: { db in
                    do {
                        let value = try await body(db)
                        box.withLock { $0 = value }
                        return nil
                    } catch {
                        return error
                    }
                },
                finish: { error in
                    if let error { return continuation.resume(throwing: error) }
                    guard let value = box.withLock({ $0.take() }) else {
                        return continuation.resume(throwing: StoreError.conflict("transaction produced no result"))
                    }
                    continuation.resume(returning: value)
                }
            )
            if !queue.submit(.transaction(job)) { job.finish(StoreError.conflict("the database is shutting down")) }
        }
    }

    /// Queues `body` to run on the writer connection between transactions.
    func runOutsideTransaction(_ body: @escaping @Sendable (any SQLDatabase) async -> Void) {
        _ = queue.submit(.outsideTransaction(body))
    }

    /// The writer loop; returns after ``close()`` once the queue is empty.
    func run() async {
        await queue.run { batch in
            var jobs: [Job] = []
            var maintenance: [@Sendable (any SQLDatabase) async -> Void] = []
            for work in batch {
                switch work {
                case .transaction(let job): jobs.append(job)
                case .outsideTransaction(let body): maintenance.append(body)
                }
            }
            if !jobs.isEmpty { await self.execute(jobs) }
            for body in maintenance { await body(self.database) }
        }
    }

    /// Transactions and maintenance waiting for the writer.
    var queued: Int { queue.count }

    /// Stops accepting work; the loop finishes what is queued and returns.
    func close() { queue.close() }

    private func execute(_ batch: [Job]) async {
        let db = database
        do {
            try await db.raw("BEGIN IMMEDIATE").run()
        } catch {
            for job in batch { job.finish(error) }
            return
        }
        var outcomes: [(any Error)?] = []
        outcomes.reserveCapacity(batch.count)
        for (index, job) in batch.enumerated() {
            // A lone transaction needs no savepoint: a failure rolls back the whole (empty) batch.
            if batch.count == 1 {
                outcomes.append(await job.run(db))
                continue
            }
            do {
                try await db.raw("SAVEPOINT job").run()
            } catch {
                return await abandon(batch, broken: index, error, on: db)
            }
            let failure = await job.run(db)
            do {
                if failure != nil { try await db.raw("ROLLBACK TO SAVEPOINT job").run() }
                try await db.raw("RELEASE SAVEPOINT job").run()
            } catch {
                // The job's writes could not be undone or set apart from the others': committing
                // would keep them although its caller hears of a failure. Nothing of the batch
                // may commit.
                return await abandon(batch, broken: index, failure ?? error, on: db)
            }
            outcomes.append(failure)
        }
        do {
            if batch.count == 1, outcomes[0] != nil {
                try await db.raw("ROLLBACK").run()
            } else {
                try await db.raw("COMMIT").run()
            }
        } catch {
            try? await db.raw("ROLLBACK").run()
            for job in batch { job.finish(error) }
            return
        }
        for (job, outcome) in zip(batch, outcomes) { job.finish(outcome) }
    }

    /// Rolls the whole batch back: the broken job hears its error, the others that their writes
    /// were undone with the batch and may be tried again.
    private func abandon(_ batch: [Job], broken: Int, _ error: any Error, on db: any SQLDatabase) async {
        try? await db.raw("ROLLBACK").run()
        for (index, job) in batch.enumerated() {
            job.finish(index == broken ? error : StoreError.conflict("the write was rolled back with its batch; try again"))
        }
    }
}
