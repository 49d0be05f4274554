using System.Globalization;
using System.Text.Json;
using Broker.Core.Validation;

namespace Broker.Server.Rest;

/// <summary>A search request as read from a REST call, before validation.</summary>
public sealed record SearchInput(IReadOnlyList<QueryBlockInput> Blocks, int? Limit, string Format, IReadOnlySet<string>? Providers);

/// <summary>Reads the REST search forms: a query string for one block, or a JSON body with OR-blocks.</summary>
public static class SearchInputReader
{
    private static readonly HashSet<string> Control = new(StringComparer.OrdinalIgnoreCase) { "limit", "format", "providers" };

    /// <summary>GET/HEAD: every query parameter is a block attribute except limit, format and providers.</summary>
    public static SearchInput FromQueryString(IQueryCollection query)
    {
        var unknown = new List<string>();
        var pairs = query.Where(q => !Control.Contains(q.Key))
            .Select(q => new KeyValuePair<string, string?>(q.Key, q.Value.Count > 1 ? throw Duplicate(q.Key) : q.Value.ToString()));
        var block = QueryBlockInput.FromPairs(pairs, unknown);
        ThrowIfUnknown(unknown);
        return new SearchInput([block], ParseLimit(query["limit"].ToString()), Format(query["format"].ToString()), ParseProviders(query["providers"].ToString()));
    }

    /// <summary>POST: <c>{"blocks":[{"start":…,"end":…,"instrument":…}], "limit":…, "format":…, "providers":[…]}</c>.</summary>
    public static async Task<SearchInput> FromJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new SearchInputException($"the body is not valid JSON: {ex.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new SearchInputException("the body must be a JSON object with a 'blocks' array");
            var blocks = new List<QueryBlockInput>();
            int? limit = null;
            string format = "json";
            IReadOnlySet<string>? providers = null;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                switch (p.Name.ToLowerInvariant())
                {
                    case "blocks" when p.Value.ValueKind == JsonValueKind.Array:
                        foreach (var b in p.Value.EnumerateArray()) blocks.Add(ReadBlock(b, blocks.Count));
                        break;
                    case "limit": limit = ParseLimit(Scalar(p.Value, "limit")); break;
                    case "format": format = Format(Scalar(p.Value, "format")); break;
                    case "providers" when p.Value.ValueKind == JsonValueKind.Array:
                        providers = p.Value.EnumerateArray().Select(e => Scalar(e, "providers") ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase);
                        break;
                    default: throw new SearchInputException($"unknown or malformed member '{p.Name}' (expected blocks, limit, format, providers)");
                }
            }
            return new SearchInput(blocks, limit, format, providers);
        }
    }

    private static QueryBlockInput ReadBlock(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new SearchInputException($"blocks[{index}] must be an object");
        var unknown = new List<string>();
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (var p in e.EnumerateObject()) Flatten(p.Name, p.Value, pairs, index);
        var block = QueryBlockInput.FromPairs(pairs, unknown);
        ThrowIfUnknown(unknown, $"blocks[{index}].");
        return block;
    }

    /// <summary>Nested objects ({"wave":{"min":…}}) flatten to dotted names (wave.min).</summary>
    private static void Flatten(string name, JsonElement value, List<KeyValuePair<string, string?>> pairs, int index)
    {
        if (value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.EnumerateObject()) Flatten(name + "." + p.Name, p.Value, pairs, index);
            return;
        }
        pairs.Add(new(name, Scalar(value, $"blocks[{index}].{name}")));
    }

    private static string? Scalar(JsonElement value, string name) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => null,
        _ => throw new SearchInputException($"'{name}' must be a string or a number"),
    };

    private static int? ParseLimit(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0) return n;
        throw new SearchInputException($"limit '{text}' must be a whole number greater than 0");
    }

    private static string Format(string? text)
    {
        var f = string.IsNullOrWhiteSpace(text) ? "json" : text.Trim().ToLowerInvariant();
        return f is "json" or "csv" ? f : throw new SearchInputException($"format '{text}' is not supported; use json or csv");
    }

    private static IReadOnlySet<string>? ParseProviders(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static void ThrowIfUnknown(List<string> unknown, string prefix = "")
    {
        if (unknown.Count > 0)
            throw new SearchInputException($"unknown parameter(s) {string.Join(", ", unknown.Select(u => prefix + u))}; " +
                                           $"known: {string.Join(", ", QueryBlockInput.ParameterNames)}, limit, format, providers");
    }

    private static SearchInputException Duplicate(string key) => new($"parameter '{key}' is given more than once");
}

/// <summary>A malformed REST search request (not a semantic query error).</summary>
public sealed class SearchInputException(string message) : Exception(message);
