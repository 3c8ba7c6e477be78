using System.Threading.Channels;

namespace Supervisor.Core.Events;

/// <summary>
/// The daemon's one event stream. Owners publish from inside their transitions, so publishing
/// never waits: each subscriber has its own bounded channel that drops its oldest event when
/// full (and counts the drop), so a slow `sup events` or a stuck notifier costs only itself,
/// never an owner. The last <see cref="RecentCapacity"/> events are kept for a new subscriber.
/// </summary>
public sealed class EventBus
{
    public const int RecentCapacity = 200;
    public const int SubscriberCapacity = 1024;

    private readonly Lock _gate = new();
    private readonly Queue<SupEvent> _recent = new();
    private readonly List<Subscription> _subscribers = [];
    private long _sequence;

    /// <summary>Numbers the event, keeps it in the recent list and hands it to every subscriber; never blocks.</summary>
    public SupEvent Publish(SupEvent e)
    {
        lock (_gate)
        {
            var numbered = e with { Sequence = ++_sequence };
            _recent.Enqueue(numbered);
            if (_recent.Count > RecentCapacity) _recent.Dequeue();
            foreach (var subscriber in _subscribers) subscriber.Offer(numbered);
            return numbered;
        }
    }

    /// <summary>
    /// A new reader of the stream, given the last <paramref name="recent"/> events first; no
    /// event falls between those and the live ones. Dispose it to leave.
    /// </summary>
    public Subscription Subscribe(int recent = 0, int capacity = SubscriberCapacity)
    {
        lock (_gate)
        {
            var subscription = new Subscription(this, capacity);
            foreach (var e in _recent.Skip(Math.Max(0, _recent.Count - Math.Max(0, recent)))) subscription.Offer(e);
            _subscribers.Add(subscription);
            return subscription;
        }
    }

    public IReadOnlyList<SupEvent> Recent()
    {
        lock (_gate) return [.. _recent];
    }

    private void Remove(Subscription subscription)
    {
        lock (_gate) _subscribers.Remove(subscription);
    }

    public sealed class Subscription : IDisposable
    {
        private readonly EventBus _bus;
        private readonly Channel<SupEvent> _channel;
        private long _dropped;

        internal Subscription(EventBus bus, int capacity)
        {
            _bus = bus;
            _channel = Channel.CreateBounded<SupEvent>(new BoundedChannelOptions(capacity)
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = false,
            }, _ => Interlocked.Increment(ref _dropped));
        }

        public ChannelReader<SupEvent> Reader => _channel.Reader;

        /// <summary>Events this subscriber lost because it read too slowly.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        internal void Offer(SupEvent e) => _channel.Writer.TryWrite(e);

        public void Dispose()
        {
            _bus.Remove(this);
            _channel.Writer.TryComplete();
        }
    }
}
