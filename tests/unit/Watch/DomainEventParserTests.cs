using KvmTime.Host;
using Xunit;

namespace KvmTime.Tests.Watch;

/// <summary>virsh event --timestamp lines, from this project's lab recordings.</summary>
public sealed class DomainEventParserTests
{
    [Fact]
    public void Reads_suspend_resume_and_another_domains_boot_recorded_in_the_lab()
    {
        var events = DomainEventParser.ParseAll(SampleFiles.ReadBody("libvirt/virsh-event-lab-suspend-resume-boot.txt"));

        Assert.Equal(6, events.Count);
        var resumed = events[1];
        Assert.Equal("lifecycle", resumed.Type);
        Assert.Equal("wt17-lab-1", resumed.Domain);
        Assert.Equal("Resumed Unpaused", resumed.Detail);
        Assert.Equal(new DateTime(2026, 12, 5, 21, 7, 14, 52, DateTimeKind.Utc), resumed.Time);
        Assert.Equal(DateTimeKind.Utc, resumed.Time!.Value.Kind);
        Assert.Equal("lifecycle: Resumed Unpaused", resumed.Description);
        Assert.Equal("state: 'disconnected' reason: 'domain started'", events[3].Detail);
        Assert.Equal(["wt17-lab-1", "wt17-lab-1", "wt22-lab-1", "wt22-lab-1", "wt22-lab-1", "wt22-lab-1"], events.Select(e => e.Domain));
    }

    [Fact]
    public void Skips_the_indented_body_of_a_multi_line_event_and_keeps_its_head()
    {
        var events = DomainEventParser.ParseAll(SampleFiles.ReadBody("libvirt/virsh-event-lab-agent-restart-save-restore.txt"));

        Assert.Equal(
            ["agent-lifecycle", "agent-lifecycle", "lifecycle", "migration-iteration", "migration-iteration", "migration-iteration", "job-completed", "lifecycle", "agent-lifecycle", "lifecycle", "lifecycle", "agent-lifecycle"],
            events.Select(e => e.Type));
        Assert.Equal(string.Empty, events[6].Detail);
        Assert.Equal(["Started Restored", "Resumed Snapshot"], events.Where(e => e.Type == "lifecycle").Skip(2).Select(e => e.Detail));
    }

    [Theory]
    [InlineData("events received: 3")]
    [InlineData("event loop timed out")]
    [InlineData("error: failed to connect to the hypervisor")]
    [InlineData("")]
    [InlineData("2026-12-05 21:07:13.507+0000: something else")]
    public void Lines_that_are_not_events_are_skipped(string line) => Assert.Null(DomainEventParser.Parse(line));

    [Fact]
    public void A_line_without_timestamp_and_a_domain_name_with_a_quote_still_parse()
    {
        var parsed = DomainEventParser.Parse("event 'lifecycle' for domain 'o'brien': Resumed Unpaused\r");

        Assert.NotNull(parsed);
        Assert.Null(parsed.Time);
        Assert.Equal("o'brien", parsed.Domain);
        Assert.Equal("Resumed Unpaused", parsed.Detail);
    }

    [Fact]
    public void A_very_long_line_is_not_an_event_and_answers_at_once()
    {
        var line = "event 'lifecycle' for domain '" + new string('\'', 200_000);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.Null(DomainEventParser.Parse(line));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1));
    }
}
