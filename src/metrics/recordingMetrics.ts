/**
 * Call recording metrics (issue 15), read at scrape time from src/recording:
 *   whisperd_recordings_active                      gauge, calls being recorded (incl. paused)
 *   whisperd_recordings_started_total               counter
 *   whisperd_recordings_stopped_total               counter (stop, call end, shutdown, failure)
 *   whisperd_recording_files_total                  counter, WAV files opened (call and coaching)
 *   whisperd_recording_bytes_total                  counter, PCM bytes handed to the writers
 *   whisperd_recording_failures_total{reason}       counter, disk-full | write-error | disk-slow (a recording stopped)
 *   whisperd_recording_dropped_frames_total         counter, frames that could not be placed on a file's timeline
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { recordingCounters, type RecordingService } from '../recording/RecordingService';

export function registerRecordingMetrics(r: Registry, svc: RecordingService): void {
  new Gauge({
    name: 'whisperd_recordings_active',
    help: 'Calls being recorded (paused included)',
    registers: [r],
    collect() {
      this.set(svc.active);
    },
  });
  const simple: Array<[string, string, () => number]> = [
    ['whisperd_recordings_started_total', 'Call recordings started', () => recordingCounters.started],
    ['whisperd_recordings_stopped_total', 'Call recordings ended (stop recording, call end, shutdown, write failure)', () => recordingCounters.stopped],
    ['whisperd_recording_files_total', 'Recording WAV files opened (call and coaching)', () => recordingCounters.files],
    ['whisperd_recording_bytes_total', 'PCM bytes handed to the recording writers', () => recordingCounters.bytes],
    ['whisperd_recording_dropped_frames_total', 'Recorded frames that could not be placed on their file timeline', () => recordingCounters.droppedFrames],
  ];
  for (const [name, help, read] of simple) {
    new Counter({
      name,
      help,
      registers: [r],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  }
  new Counter({
    name: 'whisperd_recording_failures_total',
    help: 'Recordings stopped by the disk: disk-full (ENOSPC/EDQUOT), write-error (other I/O errors), disk-slow (queue over recording.maxQueuedBytes)',
    labelNames: ['reason'],
    registers: [r],
    collect() {
      this.reset();
      for (const [reason, n] of Object.entries(recordingCounters.failures)) this.inc({ reason }, n);
    },
  });
}
