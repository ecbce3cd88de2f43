package io.torchlight.profiler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording of one thread's execution samples (Java code) and native-method samples (time inside libtorch),
 * read back into {@link MethodSamples} when the stage ends. Other threads' samples, and other recordings running at
 * the same time (another run's profiler), do not mix in: events are filtered by the sampled thread.
 */
final class MethodSampler {

    private static final String EXECUTION = "jdk.ExecutionSample";
    private static final String NATIVE = "jdk.NativeMethodSample";

    private final Recording recording;
    private final long threadId;

    private MethodSampler(Recording recording, long threadId) {
        this.recording = recording;
        this.threadId = threadId;
    }

    static MethodSampler start(Thread thread, Duration period) {
        Recording recording = new Recording();
        recording.setName("torchlight-profiler-" + thread.getId());
        recording.enable(EXECUTION).withPeriod(period).withStackTrace();
        recording.enable(NATIVE).withPeriod(period).withStackTrace();
        recording.setToDisk(true);
        recording.start();
        return new MethodSampler(recording, thread.getId());
    }

    /** Stops recording and counts the thread's samples; the recording's file is gone afterwards. */
    MethodSamples finish() {
        Path file = null;
        try {
            recording.stop();
            file = Files.createTempFile("torchlight-profiler-", ".jfr");
            recording.dump(file);
            return read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("profiler=advanced: cannot read the JFR recording back: " + e.getMessage(), e);
        } finally {
            recording.close();
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file left behind is harmless; the report matters more
                }
            }
        }
    }

    /** Streams the file event by event: memory stays bounded by the number of distinct methods, not of samples. */
    private MethodSamples read(Path file) throws IOException {
        MethodSamples samples = new MethodSamples();
        Set<String> onStack = new HashSet<>();
        try (RecordingFile in = new RecordingFile(file)) {
            while (in.hasMoreEvents()) {
                RecordedEvent event = in.readEvent();
                String type = event.getEventType().getName();
                if (!type.equals(EXECUTION) && !type.equals(NATIVE)) {
                    continue;
                }
                RecordedThread sampled = event.getThread("sampledThread");
                RecordedStackTrace stack = event.getStackTrace();
                if (sampled == null || sampled.getJavaThreadId() != threadId || stack == null) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                onStack.clear();
                for (RecordedFrame frame : frames) {
                    onStack.add(name(frame));
                }
                samples.add(name(frames.get(0)), onStack, type.equals(NATIVE));
            }
        }
        return samples;
    }

    private static String name(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
