using System.Text;
using System.Text.RegularExpressions;
using Broker.Soap.Contracts;
using Broker.Soap.Mapping;
using Broker.Soap.Tabdelim;
using Broker.Soap.Tests.Support;

namespace Broker.Soap.Tests.Tabdelim;

public sealed class FlatTableWriterTests
{
    private static readonly QueryResponse Response = new(
    [
        new ProviderQueryResponse
        {
            Provider = "fake", NoOfRecordsFound = 5, NoOfRecordsReturned = 2,
            Records =
            [
                VsoiQueryMapper.ToBlock(FakeBroker.Record("fake", "f/1") with { Detector = "C2" }),
                VsoiQueryMapper.ToBlock(FakeBroker.Record("fake", "f\t2", sizeKb: null) with { Info = "line\r\nbreak" }),
            ],
        },
        new ProviderQueryResponse { Provider = "slow", NoOfRecordsFound = 0, NoOfRecordsReturned = 0, Error = "slow: timeout" },
    ]);

    /// <summary>Extracts the table the way IDL does: a regex over the raw response text.</summary>
    private static string Extract(byte[] envelope) =>
        Regex.Match(Encoding.UTF8.GetString(envelope), "<FlatTable( [^>]*)?>([^<]*)</FlatTable>").Groups[2].Value;

    [Fact]
    public void Envelope_IdlRegexFindsTableWithHeadersAnd23FieldRecords()
    {
        var table = Extract(FlatTableWriter.Envelope(Response, "sess-1"));
        var blocks = table.Split("\r\n\r\n");
        Assert.Equal(2, blocks.Length);
        var lines = blocks[0].Split("\r\n");
        var header = lines[0].Split('\t');
        Assert.True(header.Length >= 6);
        Assert.Equal(["fake", "sess-1", "5", "2"], header[..4]);
        Assert.Equal(3, lines.Length);
        foreach (var line in lines[1..]) Assert.Equal(23, line.Split('\t').Length);
        var first = lines[1].Split('\t');
        Assert.Equal(("f/1", "fake", "SOHO", "EIT", "C2", "intensity", "2048"), (first[0], first[1], first[2], first[3], first[4], first[5], first[6]));
        Assert.Equal(("20100101001000", "171", "171", "Angstrom", "NARROW", "FULLDISK"), (first[8], first[10], first[11], first[12], first[13], first[14]));
        var second = lines[2].Split('\t');
        Assert.Equal(("f 2", "-1", "line  break"), (second[0], second[6], second[7]));
        var slow = blocks[1].Split('\t');
        Assert.Equal(("slow", "slow: timeout"), (slow[0], slow[5]));
    }

    [Fact]
    public void Envelope_EmptyResponse_StillHasOneHeader()
    {
        var table = Extract(FlatTableWriter.Envelope(new QueryResponse([])));
        Assert.Equal(6, table.Split('\t').Length);
    }
}
