package io.torchlight.launcher;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * The terminal shared by the shell, the runs and the log: whoever writes into a line another thread left unfinished
 * (the shell's prompt, a progress bar redrawn in place) starts on a new line instead, so a model summary never begins
 * on the prompt line, a status line never joins a progress bar, and a progress bar never overwrites the prompt.
 * Output of one thread flows on as it is written. stdout and stderr share the state, as they share the terminal.
 */
final class ConsoleLines {

    private boolean atLineStart = true;
    private Thread lastWriter;

    /** A print stream onto {@code sink} that keeps to the rule. */
    PrintStream stream(OutputStream sink, Charset charset) {
        return new PrintStream(new Lines(sink), true, charset);
    }

    private synchronized void write(OutputStream sink, byte[] bytes, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        Thread writer = Thread.currentThread();
        if (!atLineStart && writer != lastWriter && bytes[off] != '\n') {
            sink.write('\n');
        }
        sink.write(bytes, off, len);
        sink.flush();
        atLineStart = bytes[off + len - 1] == '\n';
        lastWriter = writer;
    }

    private final class Lines extends FilterOutputStream {
        Lines(OutputStream sink) {
            super(sink);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int off, int len) throws IOException {
            ConsoleLines.this.write(out, bytes, off, len);
        }
    }
}
