using Broker.VoTable;

namespace Broker.Simulators.Tests;

/// <summary>One simulator listener shared by a test class: small deterministic providers on 127.0.0.1:0.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public RunningSimulators Running { get; private set; } = null!;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(60) };

    public async Task InitializeAsync()
    {
        Running = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Providers =
            [
                new SimulatedProviderOptions { Name = "soar", Kind = SimulatorKind.Soar, Seed = 1, RecordCount = 20_000 },
                new SimulatedProviderOptions { Name = "sdo", Kind = SimulatorKind.ObsCore, Seed = 2, RecordCount = 5_000 },
                new SimulatedProviderOptions { Name = "nrh", Kind = SimulatorKind.EpnTap, Seed = 3, RecordCount = 5_000 },
                new SimulatedProviderOptions { Name = "faulty", Kind = SimulatorKind.ObsCore, Seed = 4, RecordCount = 2_000 },
                new SimulatedProviderOptions { Name = "bench", Kind = SimulatorKind.Bench, Seed = 5, RecordCount = 1_000 },
            ],
        });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Running.DisposeAsync();
    }

    public Task<HttpResponseMessage> SyncAsync(string provider, string query, params (string Key, string Value)[] extra)
    {
        var form = new List<KeyValuePair<string, string>> { new("REQUEST", "doQuery"), new("LANG", "ADQL"), new("QUERY", query) };
        form.AddRange(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)));
        return Http.PostAsync(Running.BaseUrl(provider) + "/sync", new FormUrlEncodedContent(form));
    }

    /// <summary>Reads a table response (any format) into rows of typed values plus its status.</summary>
    public static async Task<TableResult> ReadTableAsync(HttpResponseMessage response)
    {
        await using var stream = await response.Content.ReadAsStreamAsync();
        await using var reader = await TableReaders.OpenAsync(stream, response.Content.Headers.ContentType?.ToString());
        var rows = new List<object?[]>();
        while (await reader.ReadAsync()) rows.Add((object?[])reader.Current.Clone());
        return new TableResult(reader.Fields.Select(f => f.Name).ToList(), rows, reader.QueryStatus, reader.ErrorMessage);
    }
}

public sealed record TableResult(IReadOnlyList<string> Columns, IReadOnlyList<object?[]> Rows, string? Status, string? Error)
{
    public int Index(string column) => Columns.ToList().FindIndex(c => c.Equals(column, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<object?> Column(string column) => Rows.Select(r => r[Index(column)]);
}
