package io.imlma.jobs.connect;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.functions.source.SourceFunction;

/**
 * An unbounded source fed by code in the same JVM through a named queue: the demo's API hands manual retrain
 * requests to the running job this way, and tests feed input step by step. Only for jobs on a local or mini
 * cluster in this process; records still in the queue when a job fails are not replayed (nothing to replay from).
 */
@SuppressWarnings("deprecation") // the legacy source interface is the simple way to read an in-process queue
public final class InProcessQueueSource<T> implements SourceFunction<T> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, BlockingQueue<Object>> QUEUES = new ConcurrentHashMap<>();

    private final String name;
    private volatile boolean running = true;

    private InProcessQueueSource(String name) {
        this.name = name;
    }

    /** A source reading the queue {@code name}, created empty if it does not exist yet. */
    public static <T> InProcessQueueSource<T> reading(String name) {
        QUEUES.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
        return new InProcessQueueSource<>(name);
    }

    /** Hands {@code record} to the source reading the queue {@code name}. */
    public static void offer(String name, Object record) {
        QUEUES.computeIfAbsent(name, n -> new LinkedBlockingQueue<>()).add(record);
    }

    @Override
    @SuppressWarnings("unchecked")
    public void run(SourceContext<T> ctx) throws InterruptedException {
        BlockingQueue<Object> queue = QUEUES.computeIfAbsent(name, n -> new LinkedBlockingQueue<>());
        while (running) {
            Object next = queue.poll(100, TimeUnit.MILLISECONDS);
            if (next != null) {
                synchronized (ctx.getCheckpointLock()) {
                    ctx.collect((T) next);
                }
            }
        }
    }

    @Override
    public void cancel() {
        running = false;
    }
}
