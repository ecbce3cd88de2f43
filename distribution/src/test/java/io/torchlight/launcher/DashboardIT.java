package io.torchlight.launcher;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of a real shell process, driven in Debian's Chromium through Selenium: the runs page, starting a run
 * from the form and watching its loss chart gain points while it trains, stopping it, resuming it, the plug-ins
 * page; and, over plain HTTP, what it refuses (no or a wrong token, a foreign Host or Origin, paths out of the run
 * folder, bad input). Screenshots go to {@code target/dashboard/}. The port comes from the test's own
 * {@code etc/org.apache.felix.http.cfg}, as a user would set it.
 */
public class DashboardIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SHOTS = Path.of("target/dashboard").toAbsolutePath();

    @ClassRule
    public static final TemporaryFolder TMP = new TemporaryFolder(Path.of("target").toAbsolutePath().toFile());

    private static Process shell;
    private static ByteArrayOutputStream shellOut;
    private static String base;
    private static String token;
    private static WebDriver browser;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void startShellAndBrowser() throws Exception {
        Path work = TMP.getRoot().toPath();
        Path etc = Files.createDirectories(work.resolve("etc"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(etc.resolve("org.apache.felix.http.cfg"), "org.osgi.service.http.port=" + port + "\n");
        Map<String, String> env = Map.of("TORCHLIGHT_ETC", etc.toString(), "TORCHLIGHT_RUNS", work.resolve("runs").toString());
        // all of its output is kept (the banner too), so stdout is read here rather than by startShell
        shell = new TorchlightProcess(work).start(env, List.of(), work.resolve("shell.err"));
        shellOut = new ByteArrayOutputStream();
        Thread drain = new Thread(() -> copy(shell.getInputStream(), shellOut), "shell stdout");
        drain.setDaemon(true);
        drain.start();

        Path address = work.resolve("data").resolve("dashboard.url");
        String url = waitFor(() -> Files.isRegularFile(address) ? Files.readString(address).trim() : null, "the address file " + address);
        Matcher m = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/\\?token=([A-Za-z0-9_-]{22})").matcher(url);
        assertTrue(url, m.matches());
        assertEquals("the port of etc/org.apache.felix.http.cfg", String.valueOf(port), m.group(1));
        base = "http://127.0.0.1:" + port;
        token = m.group(2);
        assertEquals("only its owner may read the token", "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(address)));

        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            Files.createDirectories(SHOTS);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                    "--user-data-dir=" + Files.createDirectories(work.resolve("chromium")));
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort().build();
            browser = new ChromeDriver(service, options);
        }
    }

    @AfterClass
    public static void stopAll() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        if (shell != null) {
            shell.getOutputStream().write("exit\n".getBytes(StandardCharsets.UTF_8));
            shell.getOutputStream().flush();
            if (!shell.waitFor(60, TimeUnit.SECONDS)) {
                shell.destroyForcibly();
            }
        }
    }

    @Test
    public void theBannerPrintsTheDashboardAddress() throws Exception {
        String out = waitFor(() -> shellOut.toString(StandardCharsets.UTF_8).contains("Dashboard: ")
                ? shellOut.toString(StandardCharsets.UTF_8) : null, "the banner's dashboard line");
        assertTrue(out, out.contains("Dashboard: " + base + "/?token=" + token));
    }

    @Test
    public void aRunStartedFromThePageChartsItsLossLiveAndStopsAndResumesFromThePage() throws Exception {
        assumeTrue("Debian's chromium and chromium-driver are needed (.ci/run installs them)", browser != null);
        browser.get(base + "/?token=" + token);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        // the boring example's autorun is on the runs page, live
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#runs-table tr[data-run]")));
        assertFalse("the token leaves the address bar", browser.getCurrentUrl().contains("token="));
        shot("runs");

        browser.findElement(By.id("nav-start")).click();
        wait.until(d -> d.findElements(By.cssSelector("#module option[value='boring']")).size() == 1);
        new Select(browser.findElement(By.id("module"))).selectByValue("boring");
        browser.findElement(By.id("args")).sendKeys("max_epochs=abc");
        browser.findElement(By.id("start-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("start-error"), "max_epochs: expected an integer"));

        WebElement args = browser.findElement(By.id("args"));
        args.clear();
        args.sendKeys("max_epochs=100000 log_every_n_steps=1 num_sanity_val_steps=0");
        browser.findElement(By.id("start-submit")).click();
        wait.until(ExpectedConditions.urlMatches("#/run/\\d+$"));
        String runId = browser.getCurrentUrl().replaceAll(".*#/run/", "");

        String loss = ".chart[data-metric='train_loss_step']";
        wait.until(d -> points(d, loss) > 0 && status(d).equals("running"));
        int before = points(browser, loss);
        wait.until(d -> points(d, loss) > before);
        assertEquals("the points came while it trained", "running", status(browser));
        shot("run-training");

        // moving the live run (tl:move from the page): an unknown accelerator is refused with the names there are,
        // the cpu one takes the run at its next training step and run.log says what moved
        browser.findElement(By.id("move-target")).sendKeys("tpu");
        click(wait, "#move");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-error"), "no accelerator named 'tpu'; installed: [cpu, cuda]"));
        WebElement target = browser.findElement(By.id("move-target"));
        target.clear();
        target.sendKeys("cpu");
        click(wait, "#move");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-note"), "moves to cpu at the next training step"));
        wait.until(d -> text("/files/" + runId + "/run.log").contains("moved from cpu (cpu) to cpu (cpu) at step"));
        wait.until(d -> points(d, loss) > before + 1);

        click(wait, "#stop");
        wait.until(d -> status(d).equals("stopped"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("run-status"), "stopped from the dashboard"));
        wait.until(d -> d.findElements(By.cssSelector("#files a")).stream().anyMatch(a -> a.getText().equals("checkpoints/last.ckpt")));
        // the chart holds every train_loss_step the run logged, no more and no less
        int logged = get("/api/runs/" + runId + "/metrics").body().split("\"train_loss_step\"", -1).length - 1;
        assertTrue(logged > before);
        wait.until(d -> points(d, loss) == logged);
        shot("run-stopped");

        click(wait, "#resume");
        wait.until(d -> !d.getCurrentUrl().endsWith("#/run/" + runId) && status(d).equals("running"));
        String resumed = browser.getCurrentUrl().replaceAll(".*#/run/", "");
        assertTrue(get("/api/runs/" + resumed).body().contains("checkpoints/last.ckpt"));
        click(wait, "#stop");
        wait.until(d -> status(d).equals("stopped"));
    }

    @Test
    public void thePluginsPageListsAcceleratorsWithTheirAvailabilityAndTheModules() throws Exception {
        assumeTrue("Debian's chromium and chromium-driver are needed (.ci/run installs them)", browser != null);
        browser.get(base + "/#/plugins");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        WebElement cpu = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#plugins-table tr[data-kind='accelerator'][data-name='cpu']")));
        assertTrue(cpu.getText(), cpu.getText().contains("available, 1 device(s)"));
        assertTrue(browser.findElement(By.cssSelector("#plugins-table tr[data-name='cuda']")).getText().contains("unavailable: "));
        assertTrue(browser.findElement(By.cssSelector("#plugins-table tr[data-kind='logger'][data-name='csv']")).isDisplayed());
        assertTrue(browser.findElement(By.cssSelector("#modules-table tr[data-module='fashion-mlp']")).getText()
                .contains("io.torchlight.examples.fashion"));
        shot("plugins");
    }

    @Test
    public void aFeatureIsUninstalledAndInstalledAgainFromThePageAndListedInTheShell() throws Exception {
        assumeTrue("Debian's chromium and chromium-driver are needed (.ci/run installs them)", browser != null);
        browser.get(base + "/?token=" + token + "#/features");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.ignoring(StaleElementReferenceException.class);
        String tensorboard = "#features-table tr[data-feature='tensorboard']";
        wait.until(d -> installed(d, tensorboard).equals("true"));
        WebElement core = browser.findElement(By.cssSelector("#features-table tr[data-feature='core'] button"));
        assertFalse("core is fixed", core.isEnabled());

        click(wait, tensorboard + " button");
        wait.until(d -> installed(d, tensorboard).equals("false"));
        assertFalse(get("/api/plugins").body().contains("\"name\":\"tensorboard\""));
        shot("features");
        click(wait, tensorboard + " button");
        wait.until(d -> installed(d, tensorboard).equals("true"));
        waitFor(() -> get("/api/plugins").body().contains("\"kind\":\"logger\",\"name\":\"tensorboard\"") ? "" : null,
                "the tensorboard logger service back");

        shell.getOutputStream().write("tl:feature list\ntl:feature install nosuch\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().flush();
        String out = waitFor(() -> shellOut.toString(StandardCharsets.UTF_8).contains("tl: unknown feature 'nosuch'")
                ? shellOut.toString(StandardCharsets.UTF_8) : null, "tl:feature's answers");
        assertTrue(out, Pattern.compile("tensorboard +installed +Torchlight TensorBoard logger").matcher(out).find());
        assertTrue(out, Pattern.compile("core +installed, fixed").matcher(out).find());
        assertTrue(out, out.contains("available: core, ddp, examples, platform, tensorboard, torch-cpu, web"));
    }

    @Test
    public void theDashboardRestartsWhileARunTrainsAndStillShowsTheWholeCurve() throws Exception {
        HttpResponse<String> started = post("/api/runs", "module=boring&args=max_epochs%3D100000+log_every_n_steps%3D1", token, null);
        assertEquals(started.body(), 201, started.statusCode());
        String id = started.body().replaceAll("^\\{\"id\":\"(\\d+)\".*", "$1");
        waitFor(() -> records(id) > 20 ? "" : null, "some metric records of run " + id);
        Path address = TMP.getRoot().toPath().resolve("data").resolve("dashboard.url");
        String oldUrl = Files.readString(address).trim();

        // the dashboard bundle goes away and comes back (as tl:feature does it) while the run trains on
        shell.getOutputStream().write("tl:feature uninstall web\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().flush();
        waitFor(() -> Files.exists(address) ? null : "", "the address file to go with the bundle");
        shell.getOutputStream().write("tl:feature install web\n".getBytes(StandardCharsets.UTF_8));
        shell.getOutputStream().flush();
        String newUrl = waitFor(() -> Files.isRegularFile(address) ? Files.readString(address).trim() : null, "the new address");
        assertFalse("a new start, a new token", newUrl.equals(oldUrl));
        token = newUrl.replaceAll(".*token=", "");
        waitFor(() -> {
            try {
                return get("/api/runs/" + id).statusCode() == 200 ? "" : null;
            } catch (IOException e) {
                return null; // Jetty is not serving the servlet yet
            }
        }, "the dashboard back");

        assertTrue(get("/api/runs/" + id).body(), get("/api/runs/" + id).body().contains("\"status\":\"running\""));
        String metrics = get("/api/runs/" + id + "/metrics").body();
        assertTrue("the curve from before the restart is there: " + metrics.substring(0, 120), metrics.contains("{\"seq\":0,"));
        assertEquals(200, post("/api/runs/" + id + "/stop", "", token, null).statusCode());

        TorchlightProcess.Result info = new TorchlightProcess(TMP.getRoot().toPath()).run(Map.of("TORCHLIGHT_ETC",
                TMP.getRoot().toPath().resolve("etc").toString(), "TORCHLIGHT_RUNS", TMP.getRoot().toPath().resolve("runs").toString()),
                "info");
        assertEquals(info.toString(), 0, info.code());
        assertTrue(info.out(), info.out().contains("dashboard " + newUrl + " (the running shell's)"));
        assertEquals("info serves no HTTP and leaves the shell's address alone", newUrl, Files.readString(address).trim());
    }

    @Test
    public void stateChangesNeedTheTokenAndComeOnlyFromTheDashboardsOwnOrigin() throws Exception {
        int runs = runCount();
        assertEquals(403, post("/api/runs", "module=boring", null, null).statusCode());
        // another first character (a fixed "x" was the token itself one start in 64)
        String other = (token.charAt(0) == 'x' ? "y" : "x") + token.substring(1);
        HttpResponse<String> wrong = post("/api/runs", "module=boring", other, null);
        assertEquals(403, wrong.statusCode());
        assertTrue(wrong.body(), wrong.body().contains("wrong dashboard token"));
        assertEquals(403, post("/api/runs", "module=boring", token, "http://evil.example").statusCode());
        assertEquals(403, post("/api/runs/1/stop", "", null, null).statusCode());
        assertEquals(403, post("/api/features/tensorboard/uninstall", "", null, null).statusCode());
        assertEquals("the refused requests started nothing", runs, runCount());
    }

    @Test
    public void aForeignHostNameIsRefusedSoARebindingPageCannotReadTheDashboard() throws Exception {
        String answer = raw("GET /api/runs HTTP/1.1\r\nHost: attacker.example:80\r\nConnection: close\r\n\r\n");
        assertTrue(answer, answer.startsWith("HTTP/1.1 421"));
        assertTrue(answer, answer.contains("answers only to localhost"));
        assertTrue(raw("GET /api/runs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").startsWith("HTTP/1.1 200"));
    }

    @Test
    public void filesAreServedOnlyFromTheRunFolderWithTheirTypes() throws Exception {
        String id = waitFor(() -> {
            HttpResponse<String> r = get("/api/runs/1");
            return r.body().contains("\"metrics.csv\"") && r.body().contains("\"finished\":true") ? "1" : null;
        }, "the autorun's files");
        HttpResponse<String> csv = get("/files/" + id + "/metrics.csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.headers().firstValue("Content-Type").orElse(""), csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        assertTrue(csv.body().startsWith("train_loss_step,") || csv.body().contains("epoch"));
        assertEquals("nosniff", csv.headers().firstValue("X-Content-Type-Options").orElse(""));
        HttpResponse<String> ckpt = get("/files/" + id + "/checkpoints/" + firstCheckpoint(id));
        assertEquals(200, ckpt.statusCode());
        assertTrue(ckpt.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment"));

        for (String bad : List.of("/files/" + id + "/../../../../../etc/passwd", "/files/" + id + "/%2e%2e/%2e%2e/etc/passwd",
                "/files/" + id + "/checkpoints", "/files/" + id + "/nosuchfile", "/files/" + id + "/%00", "/files/999/metrics.csv",
                "/static/../../OSGI-INF/io.torchlight.web.internal.DashboardServlet.xml", "/static/%2e%2e/%2e%2e/META-INF/MANIFEST.MF")) {
            String answer = raw("GET " + bad + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            int status = Integer.parseInt(answer.substring(9, 12));
            assertTrue(bad + " -> " + answer, status == 400 || status == 404);
            assertFalse(bad + " -> " + answer, answer.contains("root:") || answer.contains("at io.torchlight") || answer.contains("Exception"));
        }
    }

    @Test
    public void badInputGetsAClearFourHundredNeverAStackTrace() throws Exception {
        assertStatus(400, get("/api/runs/abc"), "expected a run number");
        assertStatus(404, get("/api/runs/424242"), "no run 424242");
        assertStatus(400, get("/api/runs/1/metrics?from=-3"), "from: expected a record number");
        assertStatus(404, get("/nosuchpage"), "no such page");
        assertStatus(404, get("/static/app.js.map"), "no such page: /static/app.js.map");
        assertStatus(405, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/plugins")).DELETE().build(),
                HttpResponse.BodyHandlers.ofString()), "method not allowed");
        assertStatus(400, post("/api/runs", "module=nosuchmodule", token, null), "unknown module 'nosuchmodule'; available: boring");
        assertStatus(400, post("/api/runs", "module=boring&stage=dance", token, null), "stage: expected fit, validate, test or predict");
        assertStatus(400, post("/api/runs", "module=boring&args=max_epochs%3Dabc", token, null), "max_epochs: expected an integer");
        assertStatus(415, HTTP.send(HttpRequest.newBuilder(URI.create(base + "/api/runs")).header("X-Torchlight-Token", token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"module\":\"boring\"}")).build(),
                HttpResponse.BodyHandlers.ofString()), "expected a form");
        assertStatus(413, post("/api/runs", "module=boring&args=" + "x".repeat(20_000), token, null), "at most");
        assertStatus(409, post("/api/runs/1/stop", "", token, null), "has already ended");
        assertStatus(409, post("/api/features/core/uninstall", "", token, null), "cannot be uninstalled at runtime");
        assertStatus(409, post("/api/features/nosuch/install", "", token, null), "unknown feature 'nosuch'");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static int records(String id) throws Exception {
        return get("/api/runs/" + id + "/metrics").body().split("\"seq\":", -1).length - 1;
    }

    private static int runCount() throws Exception {
        return get("/api/runs").body().split("\"id\":", -1).length - 1;
    }

    private static String firstCheckpoint(String id) throws Exception {
        Matcher m = Pattern.compile("\"checkpoints/([^\"]+\\.ckpt)\"").matcher(get("/api/runs/" + id).body());
        assertTrue("the autorun saved a checkpoint", m.find());
        return m.group(1);
    }

    private static void assertStatus(int status, HttpResponse<String> response, String message) {
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.body(), response.body().contains(message));
        assertTrue(response.body(), response.body().startsWith("{\"error\":"));
        assertFalse(response.body(), response.body().contains("Exception") || response.body().contains("\tat "));
    }

    private static int points(WebDriver d, String chart) {
        String value = attribute(d, chart, "data-points");
        return value == null ? 0 : Integer.parseInt(value);
    }

    private static String installed(WebDriver d, String row) {
        return String.valueOf(attribute(d, row, "data-installed"));
    }

    private static String status(WebDriver d) {
        return String.valueOf(attribute(d, "#run-status [data-status]", "data-status"));
    }

    /** One attribute read in the page itself, so a redraw between finding and reading cannot get in the way. */
    private static String attribute(WebDriver d, String css, String name) {
        return (String) ((JavascriptExecutor) d).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.getAttribute(arguments[1]) : null;", css, name);
    }

    /** Clicks the element once it is there and enabled, again if a redraw replaced it meanwhile. */
    private static void click(WebDriverWait wait, String css) {
        wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement e = d.findElement(By.cssSelector(css));
            if (!e.isEnabled()) {
                return false;
            }
            e.click();
            return true;
        });
    }

    private static void shot(String name) throws IOException {
        Files.write(SHOTS.resolve(name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** The body of a page, for waits (which cannot throw). */
    private static String text(String path) {
        try {
            return get(path).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String path, String form, String withToken, String origin)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (withToken != null) {
            request.header("X-Torchlight-Token", withToken);
        }
        if (origin != null) {
            request.header("Origin", origin);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request as written, for what HttpClient will not send (its own Host header, a path as is). */
    private static String raw(String request) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private interface Probe {
        String value() throws Exception;
    }

    private static String waitFor(Probe probe, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            String value = probe.value();
            if (value != null) {
                return value;
            }
            Thread.sleep(100); // polling a condition with a deadline, not timing a race
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static void copy(InputStream in, OutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            // the shell ended
        }
    }
}
