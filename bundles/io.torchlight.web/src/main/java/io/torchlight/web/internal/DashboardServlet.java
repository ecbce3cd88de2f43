package io.torchlight.web.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;
import org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletName;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import io.torchlight.api.TorchlightException;
import io.torchlight.api.feature.FeatureInfo;
import io.torchlight.api.feature.FeatureManager;
import io.torchlight.api.run.RunManager;

/**
 * The dashboard: one servlet on the Servlet Whiteboard serving the page, its JSON API, the live event stream and
 * the runs' files. Every request passes the {@link Guard}; every refusal is a 4xx with a one-line JSON message,
 * and an unexpected failure a 500 that names the log, never a stack trace. The token is new each time the bundle
 * starts.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/*")
@HttpWhiteboardServletName("torchlight-dashboard")
@HttpWhiteboardServletAsyncSupported
@RequireHttpWhiteboard
public class DashboardServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    private static final String CSP = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    /** The largest request body accepted (a start form). */
    static final int MAX_BODY = 16_384;

    private final transient RunManager runs;
    private final transient Logger log;
    private final transient Guard guard;
    private final transient RunsApi api;
    private final transient EventStream events;
    private final transient AddressPublisher address;

    @Activate
    public DashboardServlet(@Reference RunManager runs, @Reference(service = LoggerFactory.class) Logger log,
            BundleContext context) {
        this.runs = runs;
        this.log = log;
        this.guard = new Guard(Guard.newToken());
        this.api = new RunsApi(runs);
        this.events = new EventStream(runs, 250, log::warn);
        this.address = new AddressPublisher(context, guard.token(), log);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private transient volatile FeatureManager features;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    void bindRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        Object endpoint = properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        String first = endpoint instanceof String s ? s
                : endpoint instanceof String[] a && a.length > 0 ? a[0]
                : endpoint instanceof Collection<?> c && !c.isEmpty() ? String.valueOf(c.iterator().next()) : null;
        address.publish(first);
    }

    void updatedRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        bindRuntime(runtime, properties);
    }

    void unbindRuntime(HttpServiceRuntime runtime) {
        address.withdraw();
    }

    @Deactivate
    void deactivate() {
        events.close();
        address.withdraw();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CSP);
        try {
            guard.checkHost(request);
            route(request, response);
        } catch (HttpError e) {
            error(response, e.status, e.getMessage());
        } catch (IOException e) {
            // the browser went away mid-answer
        } catch (RuntimeException e) {
            log.error("dashboard: " + request.getMethod() + " " + request.getRequestURI() + " failed", e);
            error(response, 500, "internal error (" + e.getClass().getSimpleName() + "); the details are in data/log/torchlight.log");
        }
    }

    private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = (request.getServletPath() == null ? "" : request.getServletPath())
                + (request.getPathInfo() == null ? "" : request.getPathInfo());
        String[] parts = path.split("/", -1); // "", "api", "runs", ...
        boolean get = request.getMethod().equals("GET") || request.getMethod().equals("HEAD");
        boolean post = request.getMethod().equals("POST");
        if (path.isEmpty() || path.equals("/") || path.equals("/index.html")) {
            method(get, "GET");
            StaticFiles.send("index.html", response);
        } else if (path.startsWith("/static/")) {
            method(get, "GET");
            StaticFiles.send(path.substring("/static/".length()), response);
        } else if (path.startsWith("/files/") && parts.length >= 4) {
            method(get, "GET");
            RunFiles.send(RunFiles.resolve(api.require(parts[2]).dir(), path.substring(("/files/" + parts[2] + "/").length())),
                    response);
        } else if (path.equals("/api/events")) {
            method(get, "GET");
            openEvents(request, response);
        } else if (path.equals("/api/runs")) {
            if (post) {
                change(request);
                json(response, 201, api.start(request.getParameter("module"), request.getParameter("stage"),
                        request.getParameter("args")));
            } else {
                method(get, "GET, POST");
                json(response, 200, api.list());
            }
        } else if (path.startsWith("/api/runs/") && parts.length == 4) {
            method(get, "GET");
            json(response, 200, api.detail(parts[3]));
        } else if (path.startsWith("/api/runs/") && parts.length == 5) {
            apiRunAction(request, response, parts[3], parts[4], get, post);
        } else if (path.equals("/api/plugins")) {
            method(get, "GET");
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("plugins", runs.plugins().stream().map(Views::plugin).toList());
            out.put("modules", runs.modules().stream().map(Views::module).toList());
            json(response, 200, out);
        } else if (path.equals("/api/features")) {
            method(get, "GET");
            json(response, 200, featureManager().features().stream().map(Views::feature).toList());
        } else if (path.startsWith("/api/features/") && parts.length == 5) {
            method(post, "POST");
            change(request);
            json(response, 200, Views.feature(featureChange(parts[3], parts[4])));
        } else {
            throw HttpError.notFound("no such page: " + path);
        }
    }

    private FeatureManager featureManager() {
        FeatureManager manager = features;
        if (manager == null) {
            throw new HttpError(503, "features cannot be changed here: the shell bundle (io.torchlight.shell) is not running");
        }
        return manager;
    }

    private FeatureInfo featureChange(String name, String action) {
        try {
            return switch (action) {
                case "install" -> featureManager().install(name);
                case "uninstall" -> featureManager().uninstall(name);
                default -> throw HttpError.notFound("no such page: /api/features/" + name + "/" + action);
            };
        } catch (TorchlightException e) {
            throw new HttpError(409, e.getMessage());
        }
    }

    private void apiRunAction(HttpServletRequest request, HttpServletResponse response, String id, String action, boolean get,
            boolean post) throws IOException {
        switch (action) {
            case "metrics" -> {
                method(get, "GET");
                json(response, 200, api.metrics(id, request.getParameter("from")));
            }
            case "stop" -> {
                method(post, "POST");
                change(request);
                json(response, 200, api.stop(id));
            }
            case "resume" -> {
                method(post, "POST");
                change(request);
                json(response, 201, api.resume(id));
            }
            case "move" -> {
                method(post, "POST");
                change(request);
                json(response, 202, api.move(id, request.getParameter("target")));
            }
            default -> throw HttpError.notFound("no such page: /api/runs/" + id + "/" + action);
        }
    }

    private void openEvents(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String run = request.getParameter("run");
        if (run != null && !run.isEmpty()) {
            api.require(run);
        }
        response.setContentType("text/event-stream; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        events.open(request.startAsync(), run == null || run.isEmpty() ? null : run);
    }

    /** A state change: the token, a bounded body, and a form (the only body the page sends). */
    private void change(HttpServletRequest request) {
        guard.checkChange(request);
        long length = request.getContentLengthLong();
        if (length > MAX_BODY) {
            throw new HttpError(413, "the request body is " + length + " bytes; at most " + MAX_BODY + " are accepted");
        }
        String type = request.getContentType();
        if (length > 0 && (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))) {
            throw new HttpError(415, "expected a form (application/x-www-form-urlencoded), got " + type);
        }
    }

    private static void method(boolean allowed, String allow) {
        if (!allowed) {
            throw new HttpError(405, "method not allowed here; use " + allow);
        }
    }

    private static void json(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json; charset=utf-8");
        response.setHeader("Cache-Control", "no-store");
        response.getOutputStream().write(Json.of(body).getBytes(StandardCharsets.UTF_8));
    }

    private static void error(HttpServletResponse response, int status, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        response.setHeader("X-Content-Type-Options", "nosniff");
        json(response, status, Map.of("error", message == null ? "error" : message));
    }
}
