using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace Broker.Server.Tests.Rest;

/// <summary>
/// A seeded fuzz run over every door of the broker (REST search GET/POST/HEAD and its stream, GetData, sessions,
/// queries, both SOAP doors, TAP sync) with random and hostile input: no answer is a 500 (on the SOAP doors the
/// SOAP 1.1 binding carries Faults with 500: there only a Client Fault is accepted), every REST error is a
/// problem+json in UTF-8, every SOAP error is a Fault, and no case hangs (each has a generous bound that only a hang
/// reaches; how fast hostile input is refused is measured by the parsers' own linear-time tests, not by a clock here). The case count and the outcome
/// histogram are printed (run with <c>--logger "console;verbosity=detailed"</c> to see them on success).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    /// <summary>A hang detector, never a timing claim: a case still unanswered after this has hung.</summary>
    private static readonly TimeSpan HangBound = TimeSpan.FromSeconds(60);

    private static readonly string[] Keys =
    [
        "start", "end", "near", "provider", "source", "instrument", "detector", "physobs", "level", "wavemin", "wavemax",
        "waveunit", "wavetype", "extent.type", "extent.x", "pixels", "resolution", "sample", "filter", "limit", "format",
        "providers", "bogus", "START", "wave", "blocks",
    ];

    private static readonly string[] Values =
    [
        "", " ", "2022-03-21", "2022-03-22T00:00:00Z", "20220321000000", "9999-12-31", "0001-01-01", "-1", "0", "1e308",
        "-1e308", "NaN", "Infinity", "1e-320", "171", "19.5", "nm", "keV", "GHz", "m", "Hz", "parsec", "EUI", "eui",
        "EUI' OR '1'='1", "\"; DROP TABLE x; --", "<xml/>", "\u00e9\u2603\u2265", "\ud83d\ude00", "\ud800", "json", "csv", "votable",
        new string('A', 3000), "%00", "\0", "a,b,,c", "L2", "LL02", "${jndi:ldap://x}", "../../etc/passwd", "2147483648",
        "0123456789abcdef0123456789abcdef", "\r\nX-Injected: 1",
    ];

    private static readonly string[] ContentTypes =
        ["application/json", "application/json; charset=utf-8", "text/plain", "text/xml", "application/xml", "", "multipart/form-data; boundary=x",
         "application/x-www-form-urlencoded", "application/json; charset=latin1"];

    private const string SoapOpen = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body>";
    private const string SoapClose = "</soap:Body></soap:Envelope>";

    [Fact]
    public async Task EveryDoor_RandomAndHostileInput_NeverA500_AlwaysADocumentThatSaysWhy_NeverAHang()
    {
        await using var broker = TestBroker.Start(TestBroker.Yaml("eui", "aia"), extraArgs: ["--Sessions:RateLimitPerMinute=0"]);
        broker.Providers["eui"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("eui", 3));
        broker.Providers["aia"].Behaviour = _ => Task.FromResult(ScriptedAdapter.Records("aia", 2));
        var random = new Random(20261207);
        var outcomes = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var failures = new List<string>();
        var cases = 0;
        var session = (await broker.Http.PostAsync("/api/v1/sessions", null)).Headers.GetValues("VSO-Session").Single();
        await broker.Http.SendAsync(WithSession(new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?start=2022-03-21&end=2022-03-22"), session));

        foreach (var (door, make) in Doors(random, session))
        {
            for (var i = 0; i < door.Count; i++)
            {
                using var request = make();
                var described = $"{request.Method} {Shorten(request.RequestUri!.ToString())}";
                using var hang = new CancellationTokenSource(HangBound);
                HttpResponseMessage response;
                byte[] body;
                try
                {
                    response = await broker.Http.SendAsync(request, HttpCompletionOption.ResponseContentRead, hang.Token);
                    body = await response.Content.ReadAsByteArrayAsync(hang.Token);
                }
                catch (OperationCanceledException) when (hang.IsCancellationRequested)
                {
                    failures.Add($"{described} hung");
                    continue;
                }
                using var answered = response;
                cases++;
                var verdict = Judge(door.Soap, request, response, body);
                var key = $"{door.Name} {(int)response.StatusCode}{(verdict.Kind is null ? "" : " " + verdict.Kind)}";
                outcomes[key] = outcomes.GetValueOrDefault(key) + 1;
                if (verdict.Problem is not null) failures.Add($"{described} → {(int)response.StatusCode}: {verdict.Problem}");
            }
        }

        var byStatus = outcomes.GroupBy(o => o.Key.Split(' ')[1]).Select(g => $"{g.Key}: {g.Sum(o => o.Value)}");
        output.WriteLine($"fuzz: {cases} cases, seed 20261207; by status: {string.Join(", ", byStatus)}");
        foreach (var (key, count) in outcomes) output.WriteLine($"  {key}: {count}");
        // Also beside the test assembly, for the figures of a passing run.
        await File.WriteAllLinesAsync(Path.Combine(AppContext.BaseDirectory, "fuzz-summary.txt"),
            [$"fuzz: {cases} cases; by status: {string.Join(", ", byStatus)}",
             .. outcomes.Select(o => $"  {o.Key}: {o.Value}"), .. failures.Take(50)]);
        Assert.True(cases >= 1000, $"only {cases} cases ran");
        Assert.Empty(failures.Take(20));
    }

    private sealed record Door(string Name, int Count, bool Soap = false);

    private static IEnumerable<(Door, Func<HttpRequestMessage>)> Doors(Random r, string session)
    {
        string Query() => string.Join("&", Enumerable.Range(0, r.Next(0, 8)).Select(_ =>
            $"{Pick(r, Keys)}={Uri.EscapeDataString(Pick(r, Values))}"));
        string ValidThen() => (r.Next(3) > 0 ? "start=2022-03-21&end=2022-03-22&" : "") + Query();
        HttpRequestMessage Maybe(HttpRequestMessage m) => r.Next(3) == 0 ? WithSession(m, r.Next(2) == 0 ? session : Pick(r, Values)) : m;

        yield return (new Door("search-get", 250), () => Maybe(new(HttpMethod.Get, "/api/v1/search?" + ValidThen())));
        yield return (new Door("search-head", 100), () => Maybe(new(HttpMethod.Head, "/api/v1/search?" + ValidThen())));
        yield return (new Door("search-post", 200), () => Maybe(Body(HttpMethod.Post, "/api/v1/search", SearchJson(r), Pick(r, ContentTypes[..3]))));
        yield return (new Door("stream-get", 60), () => Maybe(new(HttpMethod.Get, "/api/v1/search/stream?" + ValidThen())));
        yield return (new Door("stream-post", 40), () => Maybe(Body(HttpMethod.Post, "/api/v1/search/stream", SearchJson(r), "application/json")));
        yield return (new Door("getdata", 150), () => Maybe(Body(HttpMethod.Post, "/api/v1/getdata", GetDataJson(r), Pick(r, ContentTypes))));
        yield return (new Door("sessions", 80), () => Maybe(r.Next(4) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Post, "/api/v1/sessions"),
            1 => new HttpRequestMessage(HttpMethod.Get, "/api/v1/sessions/current"),
            2 => new HttpRequestMessage(HttpMethod.Delete, "/api/v1/sessions/" + Uri.EscapeDataString(Pick(r, Values) + "x")),
            _ => new HttpRequestMessage(HttpMethod.Delete, "/api/v1/sessions/" + Guid.NewGuid().ToString("N")),
        }));
        yield return (new Door("queries", 80), () => Maybe(r.Next(3) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, "/api/v1/queries"),
            1 => new HttpRequestMessage(HttpMethod.Get, "/api/v1/queries/" + Uri.EscapeDataString(Pick(r, Values) + "q")),
            _ => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/queries/{Uri.EscapeDataString(Pick(r, Values) + "q")}/records?offset={Uri.EscapeDataString(Pick(r, Values))}&limit={Uri.EscapeDataString(Pick(r, Values))}"),
        }));
        foreach (var path in new[] { "/soap/vsoi", "/soap/vsoi_tabdelim" })
            yield return (new Door(path.TrimStart('/').Replace('/', '-'), 120, Soap: true),
                () => Maybe(Body(HttpMethod.Post, path, SoapBody(r), r.Next(6) == 0 ? Pick(r, ContentTypes) : "text/xml; charset=utf-8")));
        yield return (new Door("tap-sync", 80), () => r.Next(2) == 0
            ? new HttpRequestMessage(HttpMethod.Get, "/tap/sync?" + TapParameters(r))
            : Body(HttpMethod.Post, "/tap/sync", TapParameters(r), "application/x-www-form-urlencoded"));
        yield return (new Door("limits", 16), () => r.Next(5) switch
        {
            0 => new HttpRequestMessage(HttpMethod.Get, "/api/v1/search?start=2022-03-21&end=2022-03-22&filter=" + new string('x', 9000 + r.Next(20000))),
            1 => WithHeader(new HttpRequestMessage(HttpMethod.Get, "/api/v1/providers"), "X-Big", new string('h', 33_000 + r.Next(30_000))),
            2 => Body(HttpMethod.Post, "/api/v1/search", "{\"blocks\":[{\"instrument\":\"" + new string('a', (1 << 20) + r.Next(1000)) + "\"}]}", "application/json"),
            3 => Body(HttpMethod.Post, "/api/v1/getdata", "{\"fileIds\":[\"a\"]}", "text/plain"),
            _ => ManyHeaders(new HttpRequestMessage(HttpMethod.Get, "/api/v1/providers"), 120 + r.Next(100)),
        });
    }

    /// <summary>What is wrong with an answer (null: nothing) and what kind of error document it was.</summary>
    private static (string? Problem, string? Kind) Judge(bool soap, HttpRequestMessage request, HttpResponseMessage response, byte[] body)
    {
        var status = (int)response.StatusCode;
        var type = response.Content.Headers.ContentType;
        if (status < 400) return (null, null);
        // Kestrel refuses a request target with a NUL (%00) while parsing the request line, before any middleware
        // runs, with an empty 400; nothing in the application can answer it otherwise.
        if (status == 400 && body.Length == 0 && request.RequestUri!.OriginalString.Split('?')[0].Contains("%00", StringComparison.Ordinal))
            return (null, "kestrel-request-target");
        if (request.Method == HttpMethod.Head) return (status >= 500 ? "a 5xx" : null, null);
        if (soap && (type?.MediaType?.Contains("xml") ?? false))
        {
            var fault = TryFault(body);
            if (fault is null) return ("an error that is not a SOAP Fault", null);
            if (status >= 500 && !fault.Value.Code.EndsWith("Client", StringComparison.Ordinal)) return ($"a {fault.Value.Code} Fault: {fault.Value.Text}", "fault");
            return (string.IsNullOrWhiteSpace(fault.Value.Text) ? "a Fault without a faultstring" : null, "client-fault");
        }
        if (status >= 500) return ("a 5xx", null);
        if (type?.MediaType is "application/problem+json")
        {
            if (!string.Equals(type.CharSet, "utf-8", StringComparison.OrdinalIgnoreCase)) return ("problem+json without charset=utf-8", "problem");
            var text = Encoding.UTF8.GetString(body);
            return (text.Contains("\"detail\"", StringComparison.Ordinal) ? null : "a problem document without a detail", "problem");
        }
        if (type?.MediaType is "text/xml" or "application/x-votable+xml" && Encoding.UTF8.GetString(body).Contains("QUERY_STATUS", StringComparison.Ordinal))
            return (null, "votable-error"); // TAP answers errors as a VOTable with QUERY_STATUS=ERROR (DALI)
        return ($"an error as '{type}'", null);
    }

    private static (string Code, string Text)? TryFault(byte[] body)
    {
        try
        {
            using var stream = new MemoryStream(body);
            var fault = XDocument.Load(stream).Descendants().FirstOrDefault(e => e.Name.LocalName == "Fault");
            if (fault is null) return null;
            return (fault.Elements().FirstOrDefault(e => e.Name.LocalName == "faultcode")?.Value ?? "",
                fault.Elements().FirstOrDefault(e => e.Name.LocalName == "faultstring")?.Value ?? "");
        }
        catch (System.Xml.XmlException)
        {
            return null;
        }
    }

    private static string SearchJson(Random r)
    {
        var block = (r.Next(3) > 0 ? "\"start\":\"2022-03-21\",\"end\":\"2022-03-22\"," : "") +
            string.Join(",", Enumerable.Range(0, r.Next(0, 6)).Select(_ => $"\"{Pick(r, Keys)}\":{JsonValue(r)}"));
        block = block.TrimEnd(',');
        return r.Next(8) switch
        {
            0 => $"{{\"blocks\":[{{{block}}}],\"limit\":{JsonValue(r)}}}",
            1 => $"{{\"blocks\":{JsonValue(r)}}}",
            2 => $"[{{{block}}}]",
            3 => Truncate(r, $"{{\"blocks\":[{{{block}}}]}}"),
            4 => new string('[', 5000) + new string(']', 5000),
            5 => RandomText(r),
            _ => $"{{\"blocks\":[{{{block}}},{{{block}}}],\"providers\":{JsonValue(r)},\"format\":{JsonValue(r)}}}",
        };
    }

    private static string GetDataJson(Random r) => r.Next(9) switch
    {
        0 => $"{{\"fileIds\":[{string.Join(",", Enumerable.Range(0, r.Next(0, 5)).Select(_ => JsonValue(r)))}]}}",
        1 => $"{{\"files\":[{{\"provider\":{JsonValue(r)},\"fileIds\":[{JsonValue(r)}]}}],\"verify\":{JsonValue(r)}}}",
        2 => $"{{\"files\":[null,{{\"provider\":\"eui\",\"fileIds\":[null,\"\"]}}]}}",
        3 => $"{{\"fileIds\":[{string.Join(",", Enumerable.Range(0, 10_001).Select(i => $"\"f{i}\""))}]}}",
        4 => $"{{\"files\":[{{\"provider\":\"eui\",\"fileIds\":[\"eui-0001\",{JsonValue(r)}]}}]}}",
        5 => Truncate(r, "{\"files\":[{\"provider\":\"eui\",\"fileIds\":[\"eui-0001\"]}]}"),
        6 => RandomText(r),
        7 => "{\"files\":\"eui\",\"fileIds\":{\"a\":1}}",
        _ => $"{{\"fileIds\":[\"eui-0000\"],\"verify\":{JsonValue(r)},\"extra\":{JsonValue(r)}}}",
    };

    private static string SoapBody(Random r)
    {
        var time = $"<time><start>{Xml(Pick(r, Values))}</start><end>{Xml(Pick(r, Values))}</end></time>";
        var query = $"<Query xmlns=\"http://virtualsolar.org/VSO/VSOi\"><body><block>{(r.Next(2) == 0 ? "<time><start>20220321000000</start><end>20220322000000</end></time>" : time)}<instrument>{Xml(Pick(r, Values))}</instrument><wave><wavemin>{Xml(Pick(r, Values))}</wavemin><wavemax>171</wavemax><waveunit>{Xml(Pick(r, Values))}</waveunit></wave></block></body></Query>";
        var getData = $"<GetData xmlns=\"http://virtualsolar.org/VSO/VSOi\"><body><request><method><methodtype>URL</methodtype></method><datacontainer><datarequestitem><provider>{Xml(Pick(r, Values))}</provider><fileiditem><fileid>{Xml(Pick(r, Values))}</fileid></fileiditem></datarequestitem></datacontainer></request></body></GetData>";
        return r.Next(10) switch
        {
            0 or 1 or 2 => SoapOpen + query + SoapClose,
            3 or 4 => SoapOpen + getData + SoapClose,
            5 => Truncate(r, SoapOpen + query + SoapClose),
            6 => SoapOpen + string.Concat(Enumerable.Repeat("<a>", 20_000 + r.Next(50_000))) + SoapClose,
            7 => "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;\">]>" + SoapOpen + "<Query>&b;</Query>" + SoapClose,
            8 => SoapOpen + $"<Query xmlns=\"http://virtualsolar.org/VSO/VSOi\" {string.Join(" ", Enumerable.Range(0, 2000).Select(i => $"a{i}=\"{i}\""))}/>" + SoapClose,
            _ => RandomText(r),
        };
    }

    private static string TapParameters(Random r) => string.Join("&", new[]
    {
        "REQUEST=" + Uri.EscapeDataString(r.Next(4) == 0 ? Pick(r, Values) : "doQuery"),
        "LANG=" + Uri.EscapeDataString(r.Next(4) == 0 ? Pick(r, Values) : "ADQL"),
        "QUERY=" + Uri.EscapeDataString(r.Next(3) switch
        {
            0 => $"SELECT TOP {Pick(r, Values)} * FROM vso.records WHERE instrument = '{Pick(r, Values).Replace("'", "''")}'",
            1 => "SELECT * FROM vso.records WHERE " + string.Concat(Enumerable.Repeat("(", 300 + r.Next(2000))) + "1=1" + string.Concat(Enumerable.Repeat(")", 300)),
            _ => Pick(r, Values),
        }),
        "FORMAT=" + Uri.EscapeDataString(Pick(r, Values)),
        "MAXREC=" + Uri.EscapeDataString(Pick(r, Values)),
    }.Where(_ => r.Next(6) > 0));

    private static string JsonValue(Random r) => r.Next(7) switch
    {
        0 => "null",
        1 => r.Next(-5, 5).ToString(CultureInfo.InvariantCulture),
        2 => "1e400",
        3 => "[1,\"x\",{}]",
        4 => "{\"min\":1,\"max\":\"2\",\"unit\":\"nm\"}",
        5 => "true",
        _ => System.Text.Json.JsonSerializer.Serialize(Pick(r, Values)),
    };

    private static string RandomText(Random r)
    {
        var bytes = new byte[r.Next(0, 400)];
        r.NextBytes(bytes);
        return Encoding.Latin1.GetString(bytes);
    }

    private static string Truncate(Random r, string text) => text[..r.Next(0, text.Length)];

    /// <summary>Text as XML character data; characters XML cannot carry at all (NUL, lone surrogates) are left out.</summary>
    private static string Xml(string text) =>
        new XText(new string(text.Where((c, i) => System.Xml.XmlConvert.IsXmlChar(c)
            || (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            || (char.IsLowSurrogate(c) && i > 0 && char.IsHighSurrogate(text[i - 1]))).ToArray())).ToString();

    private static string Pick(Random r, string[] items) => items[r.Next(items.Length)];

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..160] + "…";

    private static HttpRequestMessage Body(HttpMethod method, string path, string body, string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType.Length > 0) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        var request = new HttpRequestMessage(method, path) { Content = content };
        // A body over the limit is refused before it is read: a client that waits for 100-continue reads the 413
        // instead of writing into a closed connection.
        if (body.Length > 1 << 20) request.Headers.ExpectContinue = true;
        return request;
    }

    private static HttpRequestMessage WithSession(HttpRequestMessage request, string session) => WithHeader(request, "VSO-Session", session);

    private static HttpRequestMessage WithHeader(HttpRequestMessage request, string name, string value)
    {
        // HTTP/1.1 header values are visible ASCII; anything else never leaves the client.
        request.Headers.TryAddWithoutValidation(name, new string(value.Where(c => c is >= ' ' and <= '~').ToArray()));
        return request;
    }

    private static HttpRequestMessage ManyHeaders(HttpRequestMessage request, int count)
    {
        for (var i = 0; i < count; i++) request.Headers.TryAddWithoutValidation($"X-F{i}", "v");
        return request;
    }
}
