package dev.fusebox.testing;

import dev.fusebox.spi.InMemoryBreakerStore;

/**
 * An in-memory store that can be switched to fail every operation, like a database that went
 * away. It claims to be durable, as the database it stands for would be.
 */
public final class FlakyStore extends ForwardingStore {

    private volatile boolean down;

    public FlakyStore() {
        super(new InMemoryBreakerStore());
    }

    public FlakyStore down(boolean value) {
        down = value;
        return this;
    }

    @Override
    protected void before(Operation operation) {
        if (down) {
            throw new IllegalStateException("connection refused");
        }
    }
}
