package io.torchlight.bench.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;

import io.torchlight.utils.checkpoint.CheckpointException;
import io.torchlight.utils.checkpoint.CheckpointFile;

/**
 * The long reliability soak (run by {@code bench/soak.sh}, not by {@code mvn verify}): random damage to real
 * checkpoints, and a training process killed with SIGKILL at random points and resumed each time. Prints what
 * was tried, how much got a clear error, and how much data was lost (a checkpoint left unreadable, a resumed
 * run that does not end with the uninterrupted weights, damage that loaded as different values).
 * Arguments: {@code [mutations=20000] [kills=40] [seed=1]}.
 */
public final class Soak {

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        int mutations = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int kills = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        Path work = Files.createTempDirectory("torchlight-soak");
        System.out.println(mutate(work, mutations, new Random(seed)));
        System.out.println(kill(work, kills, new Random(seed)));
    }

    /** Random damage to a checkpoint: byte changes, truncations, inserted and repeated ranges. */
    static String mutate(Path work, int count, Random random) throws IOException {
        Map<String, Object> state = new LinkedHashMap<>();
        torch.manual_seed(3);
        state.put("hidden.weight", torch.randn(64, 32));
        state.put("hidden.bias", torch.randn(64));
        Path good = work.resolve("good.ckpt");
        CheckpointFile.write(good, Map.of("state_dict", state, "epoch", 3L, "hyper_parameters", Map.of("lr", 0.01)));
        byte[] bytes = Files.readAllBytes(good);
        Path mutant = work.resolve("mutant.ckpt");
        int clear = 0;
        int intact = 0;
        int wrong = 0;
        int unclear = 0;
        for (int i = 0; i < count; i++) {
            Files.write(mutant, damage(bytes, random));
            try {
                Map<String, Object> read = CheckpointFile.read(mutant);
                if (same(state, read)) {
                    intact++;
                } else {
                    wrong++;
                }
            } catch (CheckpointException e) {
                clear++;
            } catch (RuntimeException e) {
                unclear++;
                System.out.println("  not a clear error: " + e);
            }
        }
        return "damaged checkpoints: " + count + " tried, " + clear + " clear errors, " + intact + " loaded intact, " + unclear
                + " unclear errors, " + wrong + " loaded different values (data lost)";
    }

    private static byte[] damage(byte[] original, Random random) {
        byte[] b = original.clone();
        switch (random.nextInt(4)) {
            case 0 -> {
                for (int n = 1 + random.nextInt(4); n > 0; n--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> b = Arrays.copyOf(b, random.nextInt(b.length));
            case 2 -> {
                int at = random.nextInt(b.length);
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                b = out;
            }
            default -> {
                int from = random.nextInt(b.length);
                int len = Math.min(b.length - from, 1 + random.nextInt(256));
                int to = random.nextInt(b.length - len + 1);
                System.arraycopy(original, from, b, to, len);
            }
        }
        return b;
    }

    private static boolean same(Map<String, Object> expected, Map<String, Object> read) {
        if (!(read.get("state_dict") instanceof Map<?, ?> s) || !s.keySet().equals(expected.keySet())) {
            return false;
        }
        return expected.entrySet().stream().allMatch(e -> s.get(e.getKey()) instanceof Tensor t && t.equal((Tensor) e.getValue()));
    }

    /** SIGKILL a training process at random steps, resuming each time; then compare with an uninterrupted process. */
    static String kill(Path work, int kills, Random random) throws IOException, InterruptedException {
        Path reference = work.resolve("reference.ckpt");
        child(Files.createDirectories(work.resolve("ref")), reference, -1);
        int landed = 0;
        int unreadable = 0;
        int runs = 0;
        int mismatched = 0;
        Path dir = work.resolve("killed-0");
        Path result = work.resolve("resumed.ckpt");
        for (int i = 0; i < kills; i++) {
            int at = 1 + random.nextInt((int) SoakChild.STEPS - 1);
            if (child(dir, result, at).startsWith("done")) {
                // this run got past the chosen step: it is finished; compare it and start a new one
                mismatched += matches(reference, result) ? 0 : 1;
                runs++;
                dir = work.resolve("killed-" + runs);
                continue;
            }
            landed++;
            for (Path ckpt : checkpoints(dir)) {
                try {
                    CheckpointFile.read(ckpt);
                } catch (CheckpointException e) {
                    unreadable++;
                    System.out.println("  unreadable after a kill: " + e.getMessage());
                }
            }
        }
        child(dir, result, -1);
        mismatched += matches(reference, result) ? 0 : 1;
        runs++;
        return "kill -9 during training: " + landed + " kills landed over " + runs + " resumed runs, " + unreadable
                + " checkpoints left unreadable, " + mismatched + " runs ended with weights different from the uninterrupted run";
    }

    private static boolean matches(Path reference, Path result) {
        Map<?, ?> a = (Map<?, ?>) CheckpointFile.read(reference).get("state_dict");
        Map<?, ?> b = (Map<?, ?>) CheckpointFile.read(result).get("state_dict");
        return a.keySet().equals(b.keySet()) && a.keySet().stream().allMatch(k -> ((Tensor) a.get(k)).equal((Tensor) b.get(k)));
    }

    private static String child(Path dir, Path out, int killAt) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), SoakChild.class.getName(), dir.toString(), out.toString())
                .redirectErrorStream(true).start();
        String last = "";
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null;) {
                lines.add(line);
                last = line;
                if (killAt > 0 && line.equals("step " + killAt)) {
                    p.destroyForcibly();
                    break;
                }
            }
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("a training child hung: " + lines);
            }
        } finally {
            p.destroyForcibly();
        }
        if (killAt < 0 && p.exitValue() != 0) {
            throw new IllegalStateException("a training child failed: " + lines);
        }
        return last;
    }

    private static List<Path> checkpoints(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".ckpt")).toList();
        }
    }
}
