package dev.cairn.ssh;

import java.util.Objects;

/**
 * Where to connect and as whom.
 *
 * @param address host name or IP address of the machine
 * @param port SSH port, usually 22
 * @param user login user; anyone but {@code root} gets its scripts run through {@code sudo -n}
 */
public record SshTarget(String address, int port, String user) {

    public SshTarget {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        if (address.isBlank()) {
            throw new IllegalArgumentException("address must not be blank");
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("user must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, got " + port);
        }
    }

    /** True for {@code root}, whose scripts run directly; everyone else needs passwordless sudo. */
    public boolean isRoot() {
        return "root".equals(user);
    }

    /** {@code user@address:port}, for logs and messages. */
    @Override
    public String toString() {
        return user + "@" + address + ":" + port;
    }
}
