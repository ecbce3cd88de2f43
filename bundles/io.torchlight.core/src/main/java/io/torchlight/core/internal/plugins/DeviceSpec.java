package io.torchlight.core.internal.plugins;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.global.torch.DeviceType;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.accelerator.Accelerator;
import io.torchlight.api.strategy.Strategy;

/**
 * Reads Lightning's {@code devices} flag against an accelerator: {@code auto} (one device), a count
 * ({@code 2}: the first two), a list ({@code [0,2]} or {@code 0,2}), or {@code -1} (all).
 */
public final class DeviceSpec {

    private DeviceSpec() {
    }

    /**
     * The devices of this process: with a strategy of several processes on the CPU, {@code devices} counts the
     * processes (Lightning's {@code accelerator="cpu", devices=2, strategy="ddp"}), and each trains on the CPU.
     */
    public static List<Integer> parse(String devices, Accelerator accelerator, Strategy strategy) {
        if (strategy.worldSize() > 1 && accelerator.deviceType().value == DeviceType.CPU.value) {
            return List.of(0);
        }
        return parse(devices, accelerator);
    }

    public static List<Integer> parse(String devices, Accelerator accelerator) {
        int available = accelerator.deviceCount();
        String spec = devices.trim();
        List<Integer> ids = new ArrayList<>();
        if (spec.equals("auto")) {
            ids.add(0);
        } else if (spec.startsWith("[") || spec.contains(",")) {
            String body = spec.replace("[", "").replace("]", "").trim();
            for (String part : body.split(",")) {
                if (!part.isBlank()) {
                    ids.add(number(part.trim(), devices));
                }
            }
        } else {
            int n = number(spec, devices);
            if (n == -1) {
                n = available;
            } else if (n < 1) {
                throw new TorchlightException("devices=" + devices + ": expected auto, a count >= 1, -1 for all, or a list like [0,2]");
            }
            if (n > available) {
                throw new TorchlightException("devices=" + devices + " but accelerator " + accelerator.name() + " has " + available
                        + " device(s)");
            }
            for (int i = 0; i < n; i++) {
                ids.add(i);
            }
        }
        if (ids.isEmpty()) {
            throw new TorchlightException("devices=" + devices + " selects no device");
        }
        for (int id : ids) {
            if (id < 0 || id >= available) {
                throw new TorchlightException("devices=" + devices + ": accelerator " + accelerator.name() + " has no device " + id
                        + " (it has " + available + ")");
            }
        }
        return List.copyOf(ids);
    }

    private static int number(String text, String devices) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new TorchlightException("devices=" + devices + ": expected auto, a count, -1, or a list like [0,2]");
        }
    }
}
