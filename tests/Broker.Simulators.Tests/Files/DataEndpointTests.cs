using System.Net;
using System.Text;

namespace Broker.Simulators.Tests.Files;

public sealed class DataEndpointTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    [Fact]
    public async Task SoarData_KnownItem_ServesPredictableFitsBytes()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("soar",
            "SELECT TOP 1 data_item_id, filename FROM v_sc_data_item WHERE instrument='EUI'"));
        var id = (string)table.Rows[0][0]!;
        var file = (string)table.Rows[0][1]!;
        var before = sim.Running.Calls("soar").DataDownloads;

        var response = await sim.Http.GetAsync(sim.Running.DataUrl("soar") +
            "?retrieval_type=LAST_PRODUCT&product_type=SCIENCE&data_item_id=" + Uri.EscapeDataString(id));
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(SimulatedFiles.Content(id, file), bytes);
        Assert.Equal(2 * SimulatedFiles.BlockSize, bytes.Length);
        Assert.StartsWith("SIMPLE  =                    T", Encoding.ASCII.GetString(bytes, 0, 80), StringComparison.Ordinal);
        Assert.Equal(file, response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Equal(before + 1, sim.Running.Calls("soar").DataDownloads);
    }

    [Fact]
    public async Task ObsCoreAccessUrl_DownloadsTheFile()
    {
        var table = await SimulatorFixture.ReadTableAsync(await sim.SyncAsync("sdo", "SELECT TOP 1 obs_publisher_did, access_url FROM ivoa.obscore"));
        var did = (string)table.Rows[0][0]!;

        var bytes = await sim.Http.GetByteArrayAsync((string)table.Rows[0][1]!);

        Assert.Equal(sim.Running.FileContent("sdo", did), bytes);
    }

    [Fact]
    public async Task Data_UnknownId_Returns404()
    {
        var response = await sim.Http.GetAsync(sim.Running.DataUrl("nrh") + "?ID=nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Data_MissingId_Returns400()
    {
        var response = await sim.Http.GetAsync(sim.Running.DataUrl("nrh"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public void Content_DependsOnlyOnTheId()
    {
        Assert.Equal(SimulatedFiles.Content("a", "f.fits"), SimulatedFiles.Content("a", "f.fits"));
        Assert.NotEqual(SimulatedFiles.Content("a", "f.fits").Skip(2880), SimulatedFiles.Content("b", "f.fits").Skip(2880));
    }
}
