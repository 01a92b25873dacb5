package io.imlma.demo;

import io.imlma.common.config.ConfigException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What the demo checks before it starts anything, so that a start that cannot complete fails within seconds with
 * one line naming the cause and the setting that changes it.
 */
final class StartChecks {
    private StartChecks() {}

    static void requireReadableFile(Path file, String setting) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException(setting, "no readable file " + file.toAbsolutePath());
        }
    }

    /** The port is free on {@code host} now (another process may still take it before the server binds it). */
    static void requireFreePort(String host, int port, String setting) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            throw new ConfigException(setting, "port " + port + " on " + host + " is in use (" + e.getMessage()
                    + "); choose another with --" + setting + " <port>");
        }
    }

    /** Opens what {@code opener} opens; a failure names {@code setting}. */
    static <T> T opening(String setting, Supplier<T> opener) {
        try {
            return opener.get();
        } catch (RuntimeException e) {
            throw new ConfigException(setting, "cannot open: " + rootMessage(e));
        }
    }

    /** One line for a failed start: the setting's own message, or the innermost cause. */
    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigException) {
                return t.getMessage();
            }
        }
        return rootMessage(e) + " (details in the log)";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
