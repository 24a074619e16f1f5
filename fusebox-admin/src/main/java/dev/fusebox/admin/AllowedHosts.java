package dev.fusebox.admin;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Collection;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Host headers the admin API answers, against DNS rebinding: a web page can point its own
 * name at 127.0.0.1 and have the visitor's browser read this API, but the browser still sends the
 * page's name as the Host. Accepted, with or without a port: {@code localhost}, any IP address
 * ({@code 127.0.0.1}, {@code [::1]}, or the address of a non-loopback bind: a rebinding needs a
 * name, and a page served from an address is not the attacker's), and the configured names. A
 * request without a Host header (HTTP/1.0) passes: browsers always send one. Thread-safe (immutable).
 */
final class AllowedHosts {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9a-f:.]+]");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern PORT = Pattern.compile("(:\\d{1,5})?");

    private final Set<String> names;

    /** @param names host names, checked by {@link #name} */
    AllowedHosts(Collection<String> names) {
        this.names = names.stream().map(AllowedHosts::name).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A host name as configured, in lower case.
     *
     * @throws IllegalArgumentException for anything but a DNS name (letters, digits, '-' and '.',
     *     without a port or a scheme)
     */
    static String name(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.length() > 253 || !NAME.matcher(lower).matches()) {
            throw new IllegalArgumentException("allowedHosts must be host names like admin.example.com (no port,"
                    + " no scheme), but was '" + Paths.printable(name) + "'");
        }
        return lower;
    }

    /** Whether a request with this Host header (null: none) is answered. */
    boolean allows(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostHeader.toLowerCase(Locale.ROOT);
        int portAt;
        if (host.startsWith("[")) {
            portAt = host.indexOf(']') + 1;
        } else {
            int colon = host.indexOf(':');
            portAt = colon < 0 ? host.length() : colon;
        }
        if (portAt == 0 || !PORT.matcher(host.substring(portAt)).matches()) {
            return false;
        }
        String name = host.substring(0, portAt);
        return name.equals("localhost") || names.contains(name) || IPV4.matcher(name).matches() || isIpv6(name);
    }

    private static boolean isIpv6(String bracketed) {
        if (!IPV6.matcher(bracketed).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(bracketed); // a bracketed literal is parsed, never looked up
            return true;
        } catch (UnknownHostException notAnAddress) {
            return false;
        }
    }

    @Override
    public String toString() {
        return names.toString();
    }
}
