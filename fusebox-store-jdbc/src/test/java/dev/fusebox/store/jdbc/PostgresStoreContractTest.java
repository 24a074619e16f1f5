package dev.fusebox.store.jdbc;

class PostgresStoreContractTest extends BreakerStoreContract {

    @Override
    String freshUrl() throws Exception {
        return PostgresServer.freshDatabase();
    }
}
