package io.torchlight.web.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

public class GuardTest {

    @Test
    public void theHostHeaderIsReadWithoutItsPort() {
        assertEquals("localhost", Guard.hostName("localhost:8686"));
        assertEquals("127.0.0.1", Guard.hostName("127.0.0.1"));
        assertEquals("[::1]", Guard.hostName("[::1]:8686"));
        assertEquals("attacker.example", Guard.hostName("Attacker.Example:80"));
        assertNull(Guard.hostName(""));
        assertNull(Guard.hostName("a b"));
        assertNull(Guard.hostName(null));
    }

    @Test
    public void tokensAreFreshAndUrlSafe() {
        String a = Guard.newToken();
        assertEquals(22, a.length());
        assertEquals(a, a.replaceAll("[^A-Za-z0-9_-]", ""));
        assertNotEquals(a, Guard.newToken());
    }
}
