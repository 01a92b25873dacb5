package io.imlma.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/** Free TCP ports on the loopback interface, and whether something listens on one. */
public final class FreePorts {

    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {}

    /**
     * Returns {@code count} distinct ports that were free a moment ago. All sockets are held open until every port is
     * chosen, so the ports differ from each other; another process may still take one before the caller binds it.
     */
    public static List<Integer> allocate(int count) {
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on " + LOOPBACK, e);
        } finally {
            sockets.forEach(FreePorts::closeQuietly);
        }
    }

    public static int allocate() {
        return allocate(1).get(0);
    }

    /** True if a TCP connection to {@code 127.0.0.1:port} is accepted within a second. */
    public static boolean isListening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(LOOPBACK, port), 1_000);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the port is only probed; a failed close leaves nothing to clean up
        }
    }
}
