using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Broker.Server.Tests.OpenApi;

/// <summary>
/// Checks real HTTP answers against an OpenAPI 3.1 document: the status must be documented for the operation, the
/// media type must be one the response declares, and a JSON body must validate against its schema (JSON Schema 2020-12,
/// JsonSchema.Net) made strict: an object schema that lists its properties and says nothing about others gets
/// <c>additionalProperties: false</c>, so an undocumented member fails as a missing required one does.
/// Server-Sent Events are split into events and each event's data is checked against the schema the document names
/// for it under <c>x-sse-events</c>.
/// </summary>
internal sealed class OpenApiChecker
{
    private readonly JsonObject _document;
    private readonly JsonObject _defs;
    private readonly List<Operation> _operations = [];
    private readonly Dictionary<string, JsonSchema> _schemas = new();

    public sealed record Operation(string Method, string Template, Regex Pattern, JsonObject Node)
    {
        public override string ToString() => $"{Method} {Template}";
    }

    /// <summary>Operations that answered at least once with a 2xx that validated.</summary>
    public HashSet<Operation> Succeeded { get; } = [];
    public List<string> Failures { get; } = [];
    public int Checked { get; private set; }

    public OpenApiChecker(string documentJson)
    {
        _document = JsonNode.Parse(documentJson)!.AsObject();
        // components.schemas become $defs of every schema we build; references are rewritten to match.
        var text = _document["components"]?["schemas"]?.ToJsonString() ?? "{}";
        _defs = Strict(JsonNode.Parse(Rewrite(text))!).AsObject();
        foreach (var (path, item) in _document["paths"]!.AsObject())
            foreach (var (method, op) in item!.AsObject())
                if (op is JsonObject o && method is "get" or "put" or "post" or "delete" or "head" or "patch")
                    _operations.Add(new Operation(method.ToUpperInvariant(), path, Template(path), o));
    }

    public IReadOnlyList<Operation> Operations => _operations;

    public JsonObject Document => _document;

    public Operation? Find(string method, string path) =>
        _operations.Where(o => o.Method == method && o.Pattern.IsMatch(path))
            .OrderBy(o => o.Template.Count(c => c == '{')).FirstOrDefault(); // a literal segment wins over a parameter

    /// <summary>Checks one answer; a mismatch is recorded in <see cref="Failures"/> (and returned).</summary>
    public string? Check(string method, string path, int status, string? contentType, string body)
    {
        Checked++;
        var operation = Find(method, path);
        if (operation is null) return Fail($"{method} {path}: no documented operation");
        var responses = operation.Node["responses"]?.AsObject();
        var response = responses?[status.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.AsObject()
                       ?? responses?[$"{status / 100}XX"]?.AsObject();
        if (response is null) return Fail($"{operation} answered {status}, which is not documented ({string.Join(", ", responses?.Select(r => r.Key) ?? [])})");
        var content = response["content"]?.AsObject();
        if (content is null || content.Count == 0)
        {
            // Outside /api/v1 (TAP, SOAP) a response documented without content is not held to it.
            if (method != "HEAD" && body.Length > 0 && status != 204 && operation.Template.StartsWith("/api/v1/", StringComparison.Ordinal))
                return Fail($"{operation} {status}: documented without a body but answered {contentType} ({body.Length} chars)");
            return Pass(operation, status);
        }
        if (method == "HEAD") return Pass(operation, status);
        var mediaType = (contentType ?? "").Split(';')[0].Trim();
        // The most specific key wins, then a media range (type/*, */*), as OpenAPI defines.
        if ((content[mediaType] ?? content[mediaType.Split('/')[0] + "/*"] ?? content["*/*"]) is not JsonObject media)
            return Fail($"{operation} {status}: media type '{mediaType}' not documented ({string.Join(", ", content.Select(c => c.Key))})");
        if (media["x-sse-events"] is JsonObject events) return CheckEvents(operation, status, events, body);
        if (!mediaType.EndsWith("json", StringComparison.Ordinal)) return Pass(operation, status);
        if (media["schema"] is not JsonObject schema) return Fail($"{operation} {status} {mediaType}: no schema");
        return Validate($"{operation} {status}", schema, body) ?? Pass(operation, status);
    }

    private string? CheckEvents(Operation operation, int status, JsonObject events, string body)
    {
        var seen = 0;
        foreach (var block in body.Replace("\r\n", "\n").Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n').Where(l => !l.StartsWith(':')).ToList();
            if (lines.Count == 0) continue;
            var name = lines.FirstOrDefault(l => l.StartsWith("event:"))?[6..].Trim() ?? "message";
            var data = string.Join("\n", lines.Where(l => l.StartsWith("data:")).Select(l => l[5..].TrimStart()));
            if (events[name] is not JsonObject schema) return Fail($"{operation} {status}: event '{name}' is not documented");
            if (Validate($"{operation} {status} event {name}", schema, data) is { } failure) return failure;
            seen++;
        }
        return seen == 0 ? Fail($"{operation} {status}: no events in the stream") : Pass(operation, status);
    }

    private string? Validate(string where, JsonObject schema, string body)
    {
        JsonElement instance;
        try
        {
            instance = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException ex)
        {
            return Fail($"{where}: body is not JSON ({ex.Message})");
        }
        var key = schema.ToJsonString();
        if (!_schemas.TryGetValue(key, out var compiled))
        {
            var root = Strict(JsonNode.Parse(Rewrite(key))!).AsObject();
            root["$schema"] = "https://json-schema.org/draft/2020-12/schema";
            root["$defs"] = _defs.DeepClone();
            compiled = JsonSchema.FromText(root.ToJsonString(), new BuildOptions { SchemaRegistry = new SchemaRegistry() },
                new Uri($"https://broker.test/schema/{_schemas.Count}"));
            _schemas[key] = compiled;
        }
        var result = compiled.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        if (result.IsValid) return null;
        var errors = (result.Details ?? []).Where(d => !d.IsValid && d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation} ({d.EvaluationPath}): {e.Value}")).Take(8);
        return Fail($"{where}: {string.Join("; ", errors)}\n  body: {Shorten(body)}");
    }

    /// <summary>Object schemas that list properties and are silent about others admit no others.</summary>
    internal static JsonNode Strict(JsonNode node)
    {
        if (node is JsonObject o)
        {
            if (o["properties"] is JsonObject && !o.ContainsKey("additionalProperties") && !o.ContainsKey("unevaluatedProperties"))
                o["additionalProperties"] = false;
            foreach (var (_, child) in o.ToList()) if (child is not null) Strict(child);
        }
        else if (node is JsonArray a)
            foreach (var child in a) if (child is not null) Strict(child);
        return node;
    }

    private static string Rewrite(string json) => json.Replace("#/components/schemas/", "#/$defs/");

    private static Regex Template(string path) =>
        new("^" + Regex.Replace(Regex.Escape(path), @"\\\{[^}]+}", "[^/]+") + "$");

    private string? Pass(Operation operation, int status)
    {
        if (status is >= 200 and < 300) Succeeded.Add(operation);
        return null;
    }

    private string Fail(string message)
    {
        Failures.Add(message);
        return message;
    }

    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "…";
}
