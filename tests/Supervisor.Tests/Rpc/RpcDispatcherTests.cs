using System.Text.Json.Nodes;
using Supervisor.Core.Rpc;
using Xunit;

namespace Supervisor.Tests.Rpc;

public sealed class RpcDispatcherTests
{
    private static readonly RpcHandler Handler = (_, _) => ValueTask.FromResult<JsonNode?>(null);

    [Theory]
    [InlineData("start", "start")]
    [InlineData("start", "Start")]
    [InlineData("start", "StartAsync")]
    [InlineData("start", "startAsync")]
    [InlineData("logs.follow", "logs.follow")]
    [InlineData("logs.follow", "LOGS.FOLLOW")]
    public void A_method_answers_to_the_names_clients_send(string registered, string sent)
    {
        var dispatcher = new RpcDispatcher();
        dispatcher.Register(registered, Handler);

        Assert.True(dispatcher.TryResolve(sent, out RpcHandler? found));
        Assert.Same(Handler, found);
    }

    [Theory]
    [InlineData("stop")]
    [InlineData("Async")]
    [InlineData("startasync")]
    [InlineData("starts")]
    public void Other_names_are_not_found(string sent)
    {
        var dispatcher = new RpcDispatcher();
        dispatcher.Register("start", Handler);

        Assert.False(dispatcher.TryResolve(sent, out _));
    }

    [Fact]
    public void An_exactly_registered_name_ending_in_Async_wins()
    {
        var dispatcher = new RpcDispatcher();
        RpcHandler other = (_, _) => ValueTask.FromResult<JsonNode?>(1);
        dispatcher.Register("start", Handler);
        dispatcher.Register("startAsync", other);

        Assert.True(dispatcher.TryResolve("startAsync", out RpcHandler? found));
        Assert.Same(other, found);
    }

    [Theory]
    [InlineData("Start")]
    [InlineData("$/cancelRequest")]
    [InlineData("rpc.discover")]
    [InlineData(" ")]
    public void Duplicate_and_reserved_names_are_refused(string method)
    {
        var dispatcher = new RpcDispatcher();
        dispatcher.Register("start", Handler);

        Assert.ThrowsAny<ArgumentException>(() => dispatcher.Register(method, Handler));
    }
}
