package dev.fusebox.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** HTTP/1.1 over a plain socket, from a chosen loopback address, for requests no HTTP client would send. */
final class RawHttp {

    static final InetAddress LOOPBACK = address("127.0.0.1");

    /** An answer: its status, head (status line and headers) and body. */
    record Reply(int status, String head, String body) {
    }

    private RawHttp() {
    }

    static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /** {@code method path} with a Host of 127.0.0.1, the token (if not null) and the body; the connection closes after. */
    static Reply request(int port, String method, String path, String token, String body) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Length: " + content.length + "\r\n\r\n";
        return send(LOOPBACK, port, head + body, Duration.ofSeconds(10));
    }

    /** Sends {@code request} from {@code from} and reads the answer until the server closes the connection. */
    static Reply send(InetAddress from, int port, String request, Duration timeout) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(from, 0));
            socket.connect(new InetSocketAddress(LOOPBACK, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    static Reply parse(byte[] bytes) {
        String response = new String(bytes, StandardCharsets.UTF_8);
        assertThat(response).as("an HTTP response").startsWith("HTTP/1.1 ");
        int status = Integer.parseInt(response.substring(9, 12));
        int split = response.indexOf("\r\n\r\n");
        return split < 0 ? new Reply(status, response, "")
                : new Reply(status, response.substring(0, split), response.substring(split + 4));
    }
}
