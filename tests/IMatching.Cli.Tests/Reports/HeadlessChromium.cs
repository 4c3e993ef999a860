using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IMatching.Cli.Tests.Reports;

/// <summary>A page as a real browser showed it: the screenshot and every error the page raised.</summary>
public sealed record PageRender(byte[] ScreenshotPng, IReadOnlyList<string> Errors);

/// <summary>
/// Opens a file in headless Chromium (Debian package <c>chromium</c>) over the DevTools protocol and collects what
/// plain <c>--screenshot</c> cannot tell: uncaught exceptions, <c>console.error</c> calls and browser log errors
/// such as an image that fails to load. Host names resolve nowhere, so a page that reaches for the network fails.
/// </summary>
public static partial class HeadlessChromium
{
    private static readonly string[] Names = ["chromium", "chromium-browser", "google-chrome"];

    /// <summary>The browser's full path, or null when none is installed.</summary>
    public static string? Find() => Names
        .SelectMany(name => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(dir => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);

    public static async Task<PageRender> RenderAsync(string htmlPath, int width, int height, TimeSpan timeout)
    {
        string browser = Find() ?? throw new InvalidOperationException("chromium is not installed (Debian: apt-get install chromium).");
        string profile = Directory.CreateTempSubdirectory("imatching-chromium-").FullName;
        using var cancel = new CancellationTokenSource(timeout);
        var start = new ProcessStartInfo(browser)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run", "--no-default-browser-check",
            $"--user-data-dir={profile}", "--remote-debugging-port=0", "--host-resolver-rules=MAP * ~NOTFOUND", "about:blank",
        }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {browser}");
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        try
        {
            var endpoint = await DevToolsEndpoint(process, cancel.Token);
            using var session = await DevToolsSession.ConnectAsync(endpoint, cancel.Token);
            var target = await session.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, null, cancel.Token);
            var attached = await session.SendAsync("Target.attachToTarget",
                new JsonObject { ["targetId"] = target["targetId"]!.GetValue<string>(), ["flatten"] = true }, null, cancel.Token);
            string page = attached["sessionId"]!.GetValue<string>();
            foreach (var domain in new[] { "Runtime.enable", "Log.enable", "Page.enable" })
                await session.SendAsync(domain, new JsonObject(), page, cancel.Token);
            await session.SendAsync("Emulation.setDeviceMetricsOverride",
                new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false }, page, cancel.Token);
            var loaded = session.WaitForEvent("Page.loadEventFired", cancel.Token);
            await session.SendAsync("Page.navigate", new JsonObject { ["url"] = new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri }, page, cancel.Token);
            await loaded;
            var shot = await session.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, page, cancel.Token);
            await session.SendAsync("Browser.close", new JsonObject(), null, cancel.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return new PageRender(Convert.FromBase64String(shot["data"]!.GetValue<string>()), session.Errors());
        }
        finally
        {
            if (!process.WaitForExit(5000)) process.Kill(entireProcessTree: true);
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<Uri> DevToolsEndpoint(Process process, CancellationToken cancel)
    {
        var seen = new StringBuilder();
        while (await process.StandardError.ReadLineAsync(cancel) is { } line)
        {
            seen.AppendLine(line);
            if (DevToolsLine().Match(line) is { Success: true } m)
            {
                // Keep draining stderr, or Chromium blocks once the pipe fills.
                _ = process.StandardError.ReadToEndAsync(CancellationToken.None);
                return new Uri(m.Groups[1].Value);
            }
        }
        throw new InvalidOperationException($"chromium exited without a DevTools endpoint:\n{seen}");
    }

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex DevToolsLine();

    /// <summary>One DevTools WebSocket: numbered commands with their replies, and the page's events.</summary>
    private sealed class DevToolsSession : IDisposable
    {
        private readonly ClientWebSocket _socket = new();
        private readonly Dictionary<int, TaskCompletionSource<JsonNode>> _pending = [];
        private readonly List<(string Method, TaskCompletionSource Seen)> _waiters = [];
        private readonly List<string> _errors = [];
        private readonly Lock _gate = new();
        private int _nextId;

        public static async Task<DevToolsSession> ConnectAsync(Uri endpoint, CancellationToken cancel)
        {
            var session = new DevToolsSession();
            session._socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await session._socket.ConnectAsync(endpoint, cancel);
            _ = session.ReceiveLoop();
            return session;
        }

        public IReadOnlyList<string> Errors() { lock (_gate) return [.. _errors]; }

        public Task WaitForEvent(string method, CancellationToken cancel)
        {
            var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_gate) _waiters.Add((method, seen));
            return seen.Task.WaitAsync(cancel);
        }

        public async Task<JsonNode> SendAsync(string method, JsonObject parameters, string? sessionId, CancellationToken cancel)
        {
            var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
            int id;
            lock (_gate)
            {
                id = ++_nextId;
                _pending[id] = reply;
            }
            var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            if (sessionId is not null) message["sessionId"] = sessionId;
            await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cancel);
            return await reply.Task.WaitAsync(cancel);
        }

        private async Task ReceiveLoop()
        {
            var buffer = new byte[1 << 16];
            try
            {
                while (_socket.State == WebSocketState.Open)
                {
                    using var message = new MemoryStream();
                    WebSocketReceiveResult part;
                    do
                    {
                        part = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                        message.Write(buffer, 0, part.Count);
                    } while (!part.EndOfMessage && part.MessageType != WebSocketMessageType.Close);
                    if (part.MessageType == WebSocketMessageType.Close) break;
                    Dispatch(JsonNode.Parse(message.ToArray())!);
                }
            }
            catch (WebSocketException)
            {
                // Browser.close drops the connection; pending commands fail below.
            }
            lock (_gate)
                foreach (var pending in _pending.Values) pending.TrySetException(new InvalidOperationException("chromium closed the DevTools connection"));
        }

        private void Dispatch(JsonNode message)
        {
            lock (_gate)
            {
                if (message["id"] is { } idNode)
                {
                    if (_pending.Remove(idNode.GetValue<int>(), out var reply))
                    {
                        if (message["error"] is { } error) reply.TrySetException(new InvalidOperationException($"DevTools: {error.ToJsonString()}"));
                        else reply.TrySetResult(message["result"] ?? new JsonObject());
                    }
                    return;
                }
                string method = (string?)message["method"] ?? "";
                var p = message["params"] ?? new JsonObject();
                if (method == "Runtime.exceptionThrown")
                {
                    var details = p["exceptionDetails"];
                    _errors.Add("exception: " + (details?["exception"]?["description"] ?? details?["text"]));
                }
                else if (method == "Runtime.consoleAPICalled" && (string?)p["type"] is "error" or "assert")
                {
                    var args = (p["args"]?.AsArray() ?? []).Select(a => a?["value"] ?? a?["description"]);
                    _errors.Add($"console.{(string?)p["type"]}: " + string.Join(" ", args));
                }
                else if (method == "Log.entryAdded" && (string?)p["entry"]?["level"] == "error")
                {
                    _errors.Add($"log: {(string?)p["entry"]?["text"]} {(string?)p["entry"]?["url"]}");
                }
                foreach (var waiter in _waiters.Where(w => w.Method == method)) waiter.Seen.TrySetResult();
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
