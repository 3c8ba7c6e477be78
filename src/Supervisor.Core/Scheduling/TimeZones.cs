namespace Supervisor.Core.Scheduling;

/// <summary>Time zones by the names users write.</summary>
public static class TimeZones
{
    /// <summary>
    /// The zone with IANA id <paramref name="ianaId"/> (Windows ids work too); null means the
    /// machine's zone.
    /// </summary>
    /// <exception cref="SupException">BadArgument: no such zone.</exception>
    public static TimeZoneInfo Find(string? ianaId)
    {
        if (ianaId is null)
        {
            return TimeZoneInfo.Local;
        }
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(ianaId.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new SupException(SupError.BadArgument,
                $"Unknown time zone '{ianaId}'. Use an IANA id such as Europe/Paris.", ex);
        }
    }
}
