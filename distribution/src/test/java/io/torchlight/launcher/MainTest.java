package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class MainTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Main main = new Main(List.of(new ShellCommand(new Signals()), new InfoCommand(new Versions(), new Signals())),
            new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));

    @Test
    public void helpListsEveryCommand() {
        assertEquals(0, main.run(List.of("--help"), Map.of()));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help, help.contains("info") && help.contains("shell") && help.contains("TORCHLIGHT_HOME"));
    }

    @Test
    public void unknownCommandIsAUsageErrorNamingTheKnownOnes() {
        assertEquals(Main.USAGE, main.run(List.of("trian"), Map.of()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count());
        assertTrue(message, message.contains("'trian'") && message.contains("shell, info"));
    }

    @Test
    public void withoutHomeTheReasonIsOneLine() {
        assertEquals(Main.FAILED, main.run(List.of("info"), Map.of()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, message.lines().count());
        assertTrue(message, message.startsWith("torchlight: TORCHLIGHT_HOME is not set"));
    }
}
