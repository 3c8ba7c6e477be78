using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Polly;
using Polly.Retry;
using Supervisor.Core.Config;

namespace Supervisor.Core.Notifications;

/// <summary>
/// `webhook: URL`: POSTs the notification as JSON (<see cref="NotificationPayload"/>, or Slack's
/// <c>{"text": ...}</c> with `format: slack`), each attempt bounded by the target's timeout, and
/// retried (Polly, 1 s doubling on the injected clock) on a failed connection, a timeout, a 5xx
/// or a 429. Other 4xx replies are not retried: the URL or the body is wrong.
/// </summary>
public sealed class WebhookNotifier(HttpClient http, TimeProvider time) : INotifier
{
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    public NotifyKind Kind => NotifyKind.Webhook;

    public async Task DeliverAsync(Notification notification, NotifyTarget target, NotifyContext context, CancellationToken cancellationToken)
    {
        var body = target.Format == WebhookFormat.Slack
            ? JsonSerializer.Serialize(new SlackMessage(notification.Text), NotificationJson.Default.SlackMessage)
            : JsonSerializer.Serialize(NotificationPayload.From(notification), NotificationJson.Default.NotificationPayload);

        var pipeline = new ResiliencePipelineBuilder { TimeProvider = time };
        if (target.Retries > 0)
        {
            pipeline.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>().Handle<RetryableStatusException>(),
                MaxRetryAttempts = target.Retries,
                BackoffType = DelayBackoffType.Exponential,
                Delay = FirstRetryDelay,
                UseJitter = false,
            });
        }

        await pipeline.Build().ExecuteAsync(async ct =>
        {
            using var timeout = new CancellationTokenSource(target.Timeout, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            using var content = new StringContent(body, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsync(target.Webhook, content, linked.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TimeoutException($"POST {target.Webhook} got no answer within {Duration.Format(target.Timeout)}");
            }

            using (response)
            {
                var code = (int)response.StatusCode;
                if (response.IsSuccessStatusCode) return;
                var message = $"POST {target.Webhook} answered {code} {response.ReasonPhrase}";
                if (code >= 500 || code == 429) throw new RetryableStatusException(message);
                throw new NotifyFailedException(message);
            }
        }, cancellationToken);
    }

    private sealed class RetryableStatusException(string message) : Exception(message);
}
