BeforeDiscovery {
    $LabSkipped = [bool]$env:KVMTIME_LAB_SKIP
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $env:KVMTIME_MODULE 'KvmTime.psd1') -Force
    $script:Lab = Get-LabFixture
    if ($Lab) {
        $script:Guest = $Lab.Guests[0]
        $script:QemuGuest = $Lab.QemuGuests[0]
        $script:GuestSsh = Get-LabSsh $Guest
    }
}

Describe 'The lab: real Linux guests under libvirt' -Tag 'Lab' -Skip:$LabSkipped {
    It 'serves Get-KvmClocksource over SSH from a TCG guest with tsc, hpet and acpi_pm' {
        $info = Get-KvmClocksource @GuestSsh
        $info.ComputerName | Should -Be "127.0.0.1:$($Guest.SshPort)"
        $info.Available | Should -Contain 'hpet'
        $info.Available | Should -Contain 'acpi_pm'
        $info.Available | Should -Not -Contain 'kvm-clock'
        # Under TCG on a loaded host the guest's watchdog can mark the emulated TSC unstable, and the
        # kernel then withdraws it. That is only acceptable when the guest's own log says so.
        if ($info.Available -notcontains 'tsc') {
            $tsc = Test-ConstantTsc @GuestSsh
            $tsc.MarkedUnstable | Should -BeTrue -Because 'tsc may only be missing when the kernel marked it unstable'
            Set-ItResult -Inconclusive -Because "the guest kernel marked tsc unstable: $($tsc.UnstableEvidence -join ' | ')"
        }
        $info.Available | Should -Contain 'tsc'
    }

    It 'loses hpet when the domain is redefined with the hpet timer present=no' {
        try {
            Invoke-Lab restart, $Guest.Name, --no-hpet | Out-Null
            (& virsh -c $Guest.LibvirtUri dumpxml $Guest.Domain) -join "`n" | Should -Match "<timer name='hpet' present='no'/>"
            $info = Get-KvmClocksource @GuestSsh
            $info.Available | Should -Not -Contain 'hpet'
            $info.Available | Should -Contain 'acpi_pm'
        }
        finally {
            Invoke-Lab restart, $Guest.Name, --hpet | Out-Null
        }
        (Get-KvmClocksource @GuestSsh).Available | Should -Contain 'hpet'
    }

    It 'reads the guest''s TSC report over SSH, kernel log included' {
        $report = Test-ConstantTsc @GuestSsh
        $report.IsGuest | Should -BeTrue
        $report.MarkedUnstable | Should -Not -BeNullOrEmpty -Because 'root can read the guest kernel log'
        $report.CurrentClocksource | Should -Be (Get-KvmClocksource @GuestSsh).Current
    }

    It 'answers virsh domtime through the libvirt agent channel' {
        $out = & virsh -c $Guest.LibvirtUri domtime $Guest.Domain
        $LASTEXITCODE | Should -Be 0
        $seconds = [long](($out -join '') -replace '^Time:\s*', '')
        [math]::Abs($seconds - [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()) | Should -BeLessThan 300
    }

    It 'answers guest-sync on the plain QEMU guest''s agent socket' {
        $QemuGuest.AgentSocketDirect | Should -BeTrue
        $socket = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        try {
            $socket.Connect([System.Net.Sockets.UnixDomainSocketEndPoint]::new($QemuGuest.AgentSocket))
            $socket.ReceiveTimeout = 10000
            $id = Get-Random -Minimum 1000 -Maximum 999999
            $null = $socket.Send([Text.Encoding]::ASCII.GetBytes("{`"execute`":`"guest-sync`",`"arguments`":{`"id`":$id}}`n"))
            $buffer = [byte[]]::new(4096)
            $reply = ''
            while ($reply -notmatch "\}\s*$") { $reply += [Text.Encoding]::ASCII.GetString($buffer, 0, $socket.Receive($buffer)) }
            ($reply | ConvertFrom-Json).return | Should -Be $id
        }
        finally { $socket.Dispose() }
    }
}

Describe 'Kernel clocksource events of a lab guest' -Tag 'Lab' -Skip:$LabSkipped {
    It 'reads the guest''s boot-time Switched and Calibration events over SSH, in UTC' {
        $events = Get-ClocksourceEvent @GuestSsh -Source Dmesg
        $switched = @($events | Where-Object Kind -eq 'Switched')
        $switched | Should -Not -BeNullOrEmpty
        $switched[-1].Clocksource | Should -BeIn (Get-KvmClocksource @GuestSsh).Available
        @($events | Where-Object Kind -eq 'Calibration') | Should -Not -BeNullOrEmpty
        $events | ForEach-Object {
            $_.ComputerName | Should -Be "127.0.0.1:$($Guest.SshPort)"
            $_.TimeCreated.Kind | Should -Be 'Utc'
            $_.TimeCreated | Should -BeLessOrEqual ([DateTime]::UtcNow.AddMinutes(1))
        }
    }
}
