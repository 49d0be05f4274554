using System.Text;
using Broker.Core.Providers;
using Broker.TapService.DataLink;
using Broker.VoTable;

namespace Broker.TapService.Tests;

/// <summary>How the broker reads a provider's own DataLink document, and writes the rows and descriptors it passes on.</summary>
public sealed class ProviderLinksReaderTests
{
    private static Stream Doc(string body) => new MemoryStream(Encoding.UTF8.GetBytes(
        "<?xml version=\"1.0\"?><VOTABLE version=\"1.3\" xmlns=\"http://www.ivoa.net/xml/VOTable/v1.3\">" + body + "</VOTABLE>"));

    [Fact]
    public async Task Parse_OwnDocument_RoundTripsRowsAndDescriptors()
    {
        var rows = new[]
        {
            new LinkRow("ivo://p?1", "#this", AccessUrl: "http://p/data?ID=1", ContentType: "application/fits", ContentLength: 5760, Description: "file") { LinkAuth = "optional", LinkAuthorized = true },
            new LinkRow("ivo://p?1", "#cutout", ServiceDef: "soda"),
            LinkRow.Error("ivo://p?2", "NotFoundFault", "unknown"),
        };
        var soda = new VoTableResource("soda", null, "adhoc:service", null,
            [new VoTableParam("accessURL", "char", "*", null, null, null, null, "http://p/soda", null, null, null, null, [])],
            [new VoTableGroup("inputParams", null, [new VoTableParam("ID", "char", "*", null, null, null, null, "", LinksDocument.IdFieldXmlId, null, null, null, [])])]);

        var links = await ProviderLinksReader.ParseAsync(new MemoryStream(LinksDocument.Write(rows, [soda])), CancellationToken.None);

        Assert.Equal(rows, links.Rows.Select(r => r.Link));
        Assert.Equal("ivo://p?1", links.Rows[1].ReferencedValues[LinksDocument.IdFieldXmlId]);
        var read = Assert.Single(links.Resources);
        Assert.Equal(("soda", "http://p/soda", LinksDocument.IdFieldXmlId), (read.Id, read.ParamValue("accessURL"), read.Groups[0].Params[0].Ref));
    }

    [Fact]
    public async Task Parse_DocumentWithADtd_IsRefused()
    {
        var doc = new MemoryStream(Encoding.UTF8.GetBytes(
            "<?xml version=\"1.0\"?><!DOCTYPE VOTABLE [<!ENTITY x \"xx\">]><VOTABLE><RESOURCE><TABLE><FIELD name=\"ID\"/><FIELD name=\"semantics\"/></TABLE></RESOURCE></VOTABLE>"));

        await Assert.ThrowsAsync<TableFormatException>(() => ProviderLinksReader.ParseAsync(doc, CancellationToken.None));
    }

    [Fact]
    public async Task Parse_TableWithoutDataLinkColumns_IsRefused()
    {
        var ex = await Assert.ThrowsAsync<TableFormatException>(() => ProviderLinksReader.ParseAsync(
            Doc("<RESOURCE type=\"results\"><TABLE><FIELD name=\"x\" datatype=\"int\"/><DATA><TABLEDATA><TR><TD>1</TD></TR></TABLEDATA></DATA></TABLE></RESOURCE>"),
            CancellationToken.None));
        Assert.Contains("no ID or semantics column", ex.Message);
    }

    [Fact]
    public async Task Parse_ErrorDocument_IsTheProvidersError()
    {
        var ex = await Assert.ThrowsAsync<ProviderException>(() => ProviderLinksReader.ParseAsync(
            new MemoryStream(VoTableWriter.CreateErrorDocument("UsageFault: bad ID")), CancellationToken.None));
        Assert.Equal("its DataLink service reported an error: UsageFault: bad ID", ex.Message);
    }
}
