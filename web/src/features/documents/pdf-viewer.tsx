import { useEffect, useRef, useState } from 'react';
import { ActionIcon, Anchor, Box, Group, Loader, Paper, Stack, Text } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import IconZoomIn from '@tabler/icons-react/dist/esm/icons/IconZoomIn.mjs';
import IconZoomOut from '@tabler/icons-react/dist/esm/icons/IconZoomOut.mjs';
import IconDownload from '@tabler/icons-react/dist/esm/icons/IconDownload.mjs';
import IconPrinter from '@tabler/icons-react/dist/esm/icons/IconPrinter.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { useI18n } from '../../i18n/i18n.tsx';
import { ErrorState } from '../../ui/states.tsx';
import { fetchPdfStart, loadPageImage, loadPdfJs, pdfSource, type PageImage } from './pdf-loader.ts';

// pdf.js AnnotationMode.ENABLE: every annotation's appearance (issued number, date, signature images) on the canvas.
const ANNOTATIONS_ON_CANVAS = 1;
const ZOOMS = [0.75, 1, 1.25, 1.5, 2] as const;

/**
 * Shows a PDF in the page: each page drawn to a canvas at the container's width (times the zoom),
 * rendered when it scrolls into view. Until pdf.js has drawn page 1, the server's image of it stands in
 * (loadPageImage: ~26 KB against pdf.js's ~450 KB on a slow network), at the page's place and shape. The
 * viewer is the one place pdf.js is started: its code, its worker and the file are asked for once that image
 * has come (or is known not to), so they do not share the bandwidth with it. `page` scrolls to that page (a reviewer's comment points at one).
 * `printUrl`: the server's print copy (each page marked with who printed it and when), opened in a new tab
 * to print from the browser.
 */
export function PdfViewer({ url, downloadUrl, printUrl, fileName, page, maxHeight = '80vh' }: { url: string; downloadUrl?: string; printUrl?: string; fileName?: string; page?: number | null; maxHeight?: string | number }) {
  const { t } = useI18n();
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pageImage, setPageImage] = useState<PageImage | null>(null);
  const [zoom, setZoom] = useState(1);
  const { ref, width } = useElementSize();
  const scroller = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let isCancelled = false;
    let loaded: PDFDocumentProxy | null = null;
    const aborter = new AbortController();
    setDoc(null);
    setError(null);
    setPageImage(null);
    const fail = (e: unknown) => { if (!isCancelled) setError(e); };
    // page 1's image alone first; then pdf.js, its worker and the file side by side (the worker already there
    // when another document was opened before): over 3G the ~40 KB image does not share the link with ~450 KB
    loadPageImage(url, aborter.signal)
      .then((shown) => {
        if (isCancelled) throw aborter.signal.reason;
        setPageImage(shown);
        return Promise.all([loadPdfJs(), fetchPdfStart(url, aborter.signal)]);
      })
      .then(([{ pdfjs, worker }, start]) => pdfjs.getDocument({ ...pdfSource(pdfjs, url, start, aborter.signal, fail), worker, isEvalSupported: false }).promise)
      .then((d) => {
        loaded = d;
        if (isCancelled) void d.destroy();
        else setDoc(d);
      })
      .catch(fail);
    return () => {
      isCancelled = true;
      aborter.abort();
      void loaded?.destroy();
    };
  }, [url]);

  useEffect(() => {
    if (!doc || !page) return;
    scroller.current?.querySelector(`[data-page="${page}"]`)?.scrollIntoView({ block: 'start' });
  }, [doc, page]);

  const zoomIndex = ZOOMS.indexOf(zoom as (typeof ZOOMS)[number]);
  const pageCount = doc ? doc.numPages : pageImage ? 1 : 0;
  return (
    <Paper withBorder radius="md" style={{ overflow: 'hidden' }}>
      <Group justify="space-between" px="sm" py={6} gap="xs" wrap="nowrap" style={{ borderBottom: '1px solid var(--mantine-color-gray-3)' }}>
        <Text size="sm" c="dimmed" truncate style={{ minWidth: 0 }}>{fileName}{doc ? ` · ${t('doc.pdf.pages', { count: doc.numPages })}` : ''}</Text>
        <Group gap={4} wrap="nowrap">
          <ActionIcon variant="subtle" color="gray" aria-label={t('doc.pdf.zoomOut')} disabled={zoomIndex <= 0} onClick={() => setZoom(ZOOMS[zoomIndex - 1] ?? zoom)}><IconZoomOut size={18} /></ActionIcon>
          <ActionIcon variant="subtle" color="gray" aria-label={t('doc.pdf.zoomIn')} disabled={zoomIndex >= ZOOMS.length - 1} onClick={() => setZoom(ZOOMS[zoomIndex + 1] ?? zoom)}><IconZoomIn size={18} /></ActionIcon>
          {printUrl && <ActionIcon component="a" href={printUrl} target="_blank" rel="noopener" variant="subtle" color="gray" aria-label={t('doc.pdf.print')} title={t('doc.pdf.print')}><IconPrinter size={18} /></ActionIcon>}
          {downloadUrl && <ActionIcon component="a" href={downloadUrl} download={fileName} variant="subtle" color="gray" aria-label={t('doc.pdf.download')}><IconDownload size={18} /></ActionIcon>}
        </Group>
      </Group>
      <Box ref={scroller} bg="gray.2" p={{ base: 4, sm: 'sm' }} style={{ maxHeight, overflow: 'auto' }} data-testid="pdf-viewer">
        <div ref={ref}>
          {error ? <ErrorState error={error} /> : pageCount === 0 ? (
            <Group justify="center" py="xl" gap="sm"><Loader size="sm" /><Text size="sm" c="dimmed">{t('doc.pdf.loading')}</Text></Group>
          ) : width > 0 && (
            <Stack gap="sm" align={zoom > 1 ? 'flex-start' : 'center'}>
              {Array.from({ length: pageCount }, (_, i) => (
                <PdfPage key={`${url}-${i + 1}`} doc={doc} number={i + 1} width={Math.floor(width * zoom)} image={i === 0 ? pageImage : null} />
              ))}
            </Stack>
          )}
        </div>
      </Box>
      {!doc && !error && <Anchor href={url} target="_blank" size="xs" px="sm" pb={4} display="block">{t('doc.pdf.open')}</Anchor>}
    </Paper>
  );
}

/**
 * One page: a placeholder of the right shape until it scrolls near the view, then a canvas at device resolution.
 * `image`: the server's image of the page, shown (at the page's shape) until the canvas is first drawn, also
 * while pdf.js is not there yet (`doc` null).
 */
function PdfPage({ doc, number, width, image }: { doc: PDFDocumentProxy | null; number: number; width: number; image: PageImage | null }) {
  const { t } = useI18n();
  const holder = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [isNear, setNear] = useState(number <= 2);
  const [ratio, setRatio] = useState(image?.ratio ?? Math.SQRT2); // the image's, or A4, until the page says otherwise
  const [isRendered, setRendered] = useState(false);
  const [isDrawn, setDrawn] = useState(false); // drawn once: the image is not shown again while a zoom redraws

  useEffect(() => {
    const el = holder.current;
    if (!el || isNear) return;
    const observer = new IntersectionObserver((items) => { if (items.some((i) => i.isIntersecting)) setNear(true); }, { rootMargin: '600px 0px' });
    observer.observe(el);
    return () => observer.disconnect();
  }, [isNear]);

  useEffect(() => {
    if (!isNear || !doc) return;
    let task: { cancel: () => void; promise: Promise<void> } | null = null;
    let isCancelled = false;
    void doc.getPage(number).then((p) => {
      const base = p.getViewport({ scale: 1 });
      setRatio(base.height / base.width);
      const target = canvas.current;
      if (isCancelled || !target) return;
      const dpr = Math.min(window.devicePixelRatio || 1, 2);
      const viewport = p.getViewport({ scale: (width / base.width) * dpr });
      target.width = Math.floor(viewport.width);
      target.height = Math.floor(viewport.height);
      setRendered(false);
      task = p.render({ canvas: target, viewport, annotationMode: ANNOTATIONS_ON_CANVAS });
      task.promise.then(() => {
        if (isCancelled) return;
        setRendered(true);
        setDrawn(true);
      }, () => undefined); // rejected when cancelled (zoom, unmount)
    });
    return () => {
      isCancelled = true;
      task?.cancel();
    };
  }, [doc, number, width, isNear]);

  const shownImage = isDrawn ? null : image;
  return (
    <div ref={holder} data-page={number} data-rendered={isRendered || undefined} data-image={shownImage ? true : undefined} aria-label={t('doc.pdf.page', { page: number })} role="img"
      style={{ width, height: Math.round(width * ratio), background: 'white', boxShadow: '0 1px 3px rgba(0,0,0,.2)', flex: 'none', position: 'relative' }}>
      <canvas ref={canvas} style={{ width: '100%', height: '100%', display: 'block' }} />
      {shownImage && <img src={shownImage.src} alt="" data-testid="pdf-page-image" style={{ position: 'absolute', inset: 0, width: '100%', height: '100%' }} />}
    </div>
  );
}
