package dev.fusebox.admin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** Refuses secret files that other users may read or change, as ssh does its keys. */
final class OwnerOnly {

    private OwnerOnly() {
    }

    /**
     * @param what what the file holds, for the message
     * @param groupMayRead whether the file's group may read it (not write it)
     * @throws IllegalArgumentException if others may read or change {@code file}, saying how to fix it
     */
    static void require(Path file, String what, boolean groupMayRead) throws IOException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        Set<PosixFilePermission> allowed = EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE);
        if (groupMayRead) {
            allowed.add(PosixFilePermission.GROUP_READ);
        }
        if (!allowed.containsAll(permissions)) {
            throw new IllegalArgumentException(file + " may be read or changed by others ("
                    + PosixFilePermissions.toString(permissions) + "), and it holds " + what + "; make it readable by"
                    + " its owner only: chmod 600 " + file);
        }
    }
}
