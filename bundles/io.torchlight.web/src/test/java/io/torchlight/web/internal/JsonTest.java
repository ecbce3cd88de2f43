package io.torchlight.web.internal;

import static org.junit.Assert.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.Test;

public class JsonTest {

    @Test
    public void valuesAreWrittenAsJavaScriptReadsThem() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("loss", 0.25);
        map.put("nan", Double.NaN);
        map.put("inf", Double.POSITIVE_INFINITY);
        map.put("step", 7L);
        map.put("done", true);
        map.put("none", null);
        map.put("list", List.of(1, "a"));
        assertEquals("{\"loss\":0.25,\"nan\":null,\"inf\":null,\"step\":7,\"done\":true,\"none\":null,\"list\":[1,\"a\"]}",
                Json.of(map));
    }

    @Test
    public void stringsCannotBreakOutOfTheirQuotesOrAScriptElement() {
        assertEquals("\"a\\\"b\\\\c\\nd\\u0001\"", Json.of("a\"b\\c\nd\u0001"));
        assertEquals("\"\\u003c/script\\u003e\\u0026\"", Json.of("</script>&"));
        assertEquals("\"\\u2028\"", Json.of("\u2028"));
    }
}
