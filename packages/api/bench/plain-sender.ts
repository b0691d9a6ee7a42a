import nodemailer from 'nodemailer';

/**
 * The reference of `bench send`: a plain pooled nodemailer loop, as a person
 * would write it, sending BENCH_COUNT messages to the sink at BENCH_SMTP_URL
 * with the same pool size and a message of the same size as ours. Prints
 * `{"port":0,"seconds":…}` when done (the benchmark children's first-line protocol).
 */
const url = process.env.BENCH_SMTP_URL ?? '';
const count = Number(process.env.BENCH_COUNT ?? '10000');
const poolSize = Number(process.env.BENCH_POOL_SIZE ?? '5');
const text = process.env.BENCH_TEXT ?? 'Hello';
const html = process.env.BENCH_HTML ?? '<p>Hello</p>';
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? '50');

// nodemailer's pool defaults otherwise (100 messages per connection), as ours uses them.
const transporter = nodemailer.createTransport({ url, pool: true, maxConnections: poolSize });
const started = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < count) {
      const index = next++;
      await transporter.sendMail({
        from: { name: 'Plant shop', address: 'shop@plants.example' },
        replyTo: 'orders@plants.example',
        to: `buyer${index}@example.com`,
        subject: `Your order PH-${index} has been sent`,
        text,
        html,
        messageId: `<plain.${index}.${started}@plants.example>`,
      });
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
transporter.close();
process.stdout.write(`${JSON.stringify({ port: 0, seconds })}\n`);
process.exit(0);
