using System.Text.Json;
using Broker.Sessions;
using Broker.Sessions.Carts;
using Broker.Server.OpenApi;

namespace Broker.Server.Rest;

/// <summary>
/// <c>/api/v1/carts</c>: a saved selection of files with a short id, stored server-side (Redis when configured) with an
/// expiry, so it can be reloaded later, in another browser or by a script, from any broker instance. Carts are not tied
/// to a session: whoever has the id can read and replace the cart (the id is the capability, as with VSO's cart ids).
/// </summary>
public static class CartApi
{
    public const string Path = "/api/v1/carts";
    private const int MaxTextLength = 1024;
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The body of POST and PUT.</summary>
    public sealed record CartBody(IReadOnlyList<CartItem?>? Items);

    public static IEndpointRouteBuilder MapCartApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Path).WithTags("Carts");
        group.MapPost("", async (HttpContext http, ICartStore store, CartOptions options) =>
            {
                var (items, problem) = await ReadAsync(http, options);
                if (problem is not null) return problem;
                return await Guard(http, async () =>
                {
                    var cart = await store.CreateAsync(items!, http.RequestAborted);
                    http.Response.Headers.Location = $"{Path}/{cart.Id}";
                    return Results.Json(View(cart), Json, statusCode: StatusCodes.Status201Created);
                });
            })
            .Accepts<CartBody>("application/json").WithRequestExample(ExampleBody)
            .Produces<CartView>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Save a cart: {\"items\":[{\"provider\":\"soar\",\"fileId\":\"…\"}]} → its short id and expiry");
        group.MapGet("/{id}", (HttpContext http, ICartStore store, string id) => Guard(http, async () =>
                await store.GetAsync(id, http.RequestAborted) is { } cart ? Results.Json(View(cart), Json) : Missing(id)))
            .Produces<CartView>().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Read a cart by its id")
            .WithParameter("id", $"The cart's id ({CartId.Length} letters and digits)", "k3XbQ9vT2m");
        group.MapPut("/{id}", async (HttpContext http, ICartStore store, CartOptions options, string id) =>
            {
                var (items, problem) = await ReadAsync(http, options);
                if (problem is not null) return problem;
                return await Guard(http, async () =>
                    await store.ReplaceAsync(id, items!, http.RequestAborted) is { } cart ? Results.Json(View(cart), Json) : Missing(id));
            })
            .Accepts<CartBody>("application/json").WithRequestExample(ExampleBody)
            .WithParameter("id", $"The cart's id ({CartId.Length} letters and digits)", "k3XbQ9vT2m")
            .Produces<CartView>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithSummary("Replace a cart's items (and slide its expiry)");
        return app;
    }

    private static readonly CartBody ExampleBody = new([new CartItem { Provider = "soar", FileId = "solo_L2_eui-fsi174-image_20220321T080000_V01", Instrument = "EUI" }]);

    /// <summary>A cart as the API shows it (times in UTC with Z).</summary>
    public sealed record CartView(string Id, IReadOnlyList<CartItem> Items, DateTime CreatedAt, DateTime ExpiresAt, int Count);

    private static CartView View(Cart cart) => new(cart.Id, cart.Items, cart.CreatedAt, cart.ExpiresAt, cart.Items.Count);

    /// <summary>The validated items, de-duplicated by provider and file id, or the problem that names the bad field.</summary>
    private static async Task<(IReadOnlyList<CartItem>? Items, IResult? Problem)> ReadAsync(HttpContext http, CartOptions options)
    {
        CartBody? body;
        try
        {
            body = await http.Request.ReadFromJsonAsync<CartBody>(http.RequestAborted);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or BadHttpRequestException)
        {
            return Fail("body", ex is BadHttpRequestException ? ex.Message
                : "the body must be JSON: {\"items\":[{\"provider\":\"soar\",\"fileId\":\"…\"}]} (" + FirstLine(ex.Message) + ")");
        }
        if (body?.Items is not { } given) return Fail("items", "give 'items': [{\"provider\": …, \"fileId\": …}] (an empty list empties the cart)");
        if (given.Count > options.MaxItems) return Fail("items", $"a cart holds at most {options.MaxItems} files, not {given.Count}");
        var seen = new HashSet<(string, string)>();
        var items = new List<CartItem>(given.Count);
        for (var i = 0; i < given.Count; i++)
        {
            if (given[i] is not { } item) return Fail($"items[{i}]", "an item is an object with provider and fileId");
            if (string.IsNullOrWhiteSpace(item.Provider) || item.Provider.Length > 100)
                return Fail($"items[{i}].provider", "each item needs a provider id (at most 100 characters)");
            if (string.IsNullOrWhiteSpace(item.FileId) || item.FileId.Length > MaxTextLength)
                return Fail($"items[{i}].fileId", $"each item needs a file id (at most {MaxTextLength} characters)");
            if (new[] { item.Source, item.Instrument, item.Physobs }.Any(t => t is { Length: > 200 }))
                return Fail($"items[{i}]", "source, instrument and physobs are at most 200 characters");
            if (seen.Add((item.Provider.ToLowerInvariant(), item.FileId)))
                items.Add(item with { Start = Utc(item.Start), End = Utc(item.End) });
        }
        return (items, null);
    }

    private static DateTime? Utc(DateTime? time) => time is { } t ? t.Kind == DateTimeKind.Utc ? t : t.ToUniversalTime() : null;

    private static (IReadOnlyList<CartItem>?, IResult?) Fail(string field, string message) =>
        (null, Problems.BadRequest("The cart is not valid", $"{field}: {message}", new Dictionary<string, object?>
        {
            ["errors"] = new[] { new { field, message } },
        }));

    private static IResult Missing(string id) => Problems.NotFound(CartId.IsWellFormed(id)
        ? $"There is no cart '{id}' (carts expire after they were last saved)."
        : $"'{id}' is not a cart id (cart ids are {CartId.Length} letters and digits).");

    private static async Task<IResult> Guard(HttpContext http, Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (SessionStoreUnavailableException ex)
        {
            http.Response.Headers.RetryAfter = "5";
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Cart store unavailable",
                detail: $"Carts are stored with the sessions, which are unavailable for now ({ex.Message}); try again shortly.",
                type: "https://virtualsolar.org/broker/problems/session-store-unavailable");
        }
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
