using System.Threading.Channels;

namespace Supervisor.Core.Supervision;

/// <summary>
/// Runs an owner's commands one at a time, in order, on one loop. Callers post and await;
/// the owner's state is only changed from inside a command (or from the run it started and
/// awaits before changing state again), so it needs no locks.
/// </summary>
public sealed class CommandQueue : IAsyncDisposable
{
    private readonly Channel<Func<Task>> _channel = Channel.CreateUnbounded<Func<Task>>(
        new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public CommandQueue() => _loop = Task.Run(LoopAsync);

    public Task RunAsync(Func<Task> command) => RunAsync(async () => { await command(); return true; });

    public Task<T> RunAsync<T>(Func<Task<T>> command)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var posted = _channel.Writer.TryWrite(async () =>
        {
            try { done.TrySetResult(await command()); }
            catch (Exception ex) { done.TrySetException(ex); }
        });
        if (!posted) done.TrySetException(new ObjectDisposedException(nameof(CommandQueue)));
        return done.Task;
    }

    private async Task LoopAsync()
    {
        await foreach (var command in _channel.Reader.ReadAllAsync())
            await command();
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _loop;
    }
}
