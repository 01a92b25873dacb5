package io.imlma.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a benchmark's {@code main} while keeping a copy of what it prints: the benchmarks report their figures on
 * standard output, which still reaches the console as progress.
 */
final class ConsoleCapture {
    interface Main {
        void run() throws Exception;
    }

    private ConsoleCapture() {}

    static String run(Main main) throws Exception {
        PrintStream console = System.out;
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                console.write(b);
                copy.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                console.write(b, off, len);
                copy.write(b, off, len);
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.out.flush();
            System.setOut(console);
        }
        return copy.toString(StandardCharsets.UTF_8);
    }
}
