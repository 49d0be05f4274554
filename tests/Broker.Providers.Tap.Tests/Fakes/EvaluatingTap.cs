using Broker.Adql;
using Broker.VoTable;

namespace Broker.Providers.Tap.Tests.Fakes;

/// <summary>Answers /sync by running the received ADQL with the project's evaluator over in-memory tables (a tiny real TAP service).</summary>
public static class EvaluatingTap
{
    public static void Serve(FakeTapServer server, IAdqlCatalog catalog)
    {
        var evaluator = new AdqlEvaluator(catalog);
        server.On("POST /tap/sync", async (ctx, request) =>
        {
            var maxRec = long.TryParse(request["MAXREC"], out var m) ? m : (long?)null;
            var result = evaluator.Execute(request["QUERY"]!, maxRec);
            var rows = result.ReadAll();
            var fields = result.Columns.Select(c => new TableField(c.Name, c.Datatype, c.Arraysize, c.Xtype)).ToList();
            await Tables.Result(fields, rows, overflow: result.Overflow).WriteAsync(ctx);
        });
    }
}
